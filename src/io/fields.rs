//! The fields a CSV column can fill, and the mapping from a file's header
//! to them: English and Chinese headers (姓名, 公司, 手机, 微信 ...), and the
//! column names of Google Contacts and Outlook exports. The user can change
//! any column's field before importing.

/// What one column of an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Not imported.
    Ignore,
    Name,
    GivenName,
    MiddleName,
    FamilyName,
    Company,
    Role,
    Phone,
    Wechat,
    Email,
    City,
    Birthday,
    /// A birthday by the lunar calendar (农历生日), with or without the mark.
    LunarBirthday,
    Grade,
    Status,
    Relationship,
    Personality,
    Tags,
    Hobbies,
    Family,
    Notes,
    /// A vCard's `UID` (not offered for CSV columns).
    Uid,
    /// The person's roles at the company (English or Chinese names).
    Roles,
    /// The company's industry.
    Industry,
    /// The company's size: a band or a head count.
    CompanySize,
}

impl Field {
    /// In the order the preview cycles through them.
    pub const ALL: [Field; 24] = [
        Field::Ignore,
        Field::Name,
        Field::GivenName,
        Field::MiddleName,
        Field::FamilyName,
        Field::Company,
        Field::Role,
        Field::Phone,
        Field::Wechat,
        Field::Email,
        Field::City,
        Field::Birthday,
        Field::LunarBirthday,
        Field::Grade,
        Field::Status,
        Field::Relationship,
        Field::Personality,
        Field::Tags,
        Field::Hobbies,
        Field::Family,
        Field::Notes,
        Field::Roles,
        Field::Industry,
        Field::CompanySize,
    ];

    /// Catalog key of the field's label.
    pub fn key(self) -> &'static str {
        match self {
            Field::Ignore => "io.field.ignore",
            Field::Name => "io.field.name",
            Field::GivenName => "io.field.given",
            Field::MiddleName => "io.field.middle",
            Field::FamilyName => "io.field.family_name",
            Field::Company => "io.field.company",
            Field::Role => "io.field.role",
            Field::Phone => "io.field.phone",
            Field::Wechat => "io.field.wechat",
            Field::Email => "io.field.email",
            Field::City => "io.field.city",
            Field::Birthday => "io.field.birthday",
            Field::LunarBirthday => "io.field.lunar_birthday",
            Field::Grade => "io.field.grade",
            Field::Status => "io.field.status",
            Field::Relationship => "io.field.relationship",
            Field::Personality => "io.field.personality",
            Field::Tags => "io.field.tags",
            Field::Hobbies => "io.field.hobbies",
            Field::Family => "io.field.family",
            Field::Notes => "io.field.notes",
            Field::Uid => "io.field.uid",
            Field::Roles => "io.field.roles",
            Field::Industry => "io.field.industry",
            Field::CompanySize => "io.field.company_size",
        }
    }

    /// The stable name used by `--map` (`3=phone`, `Kunde=name`).
    pub fn id(self) -> &'static str {
        match self {
            Field::Ignore => "ignore",
            Field::Name => "name",
            Field::GivenName => "given",
            Field::MiddleName => "middle",
            Field::FamilyName => "family_name",
            Field::Company => "company",
            Field::Role => "role",
            Field::Phone => "phone",
            Field::Wechat => "wechat",
            Field::Email => "email",
            Field::City => "city",
            Field::Birthday => "birthday",
            Field::LunarBirthday => "lunar_birthday",
            Field::Grade => "grade",
            Field::Status => "status",
            Field::Relationship => "relationship",
            Field::Personality => "personality",
            Field::Tags => "tags",
            Field::Hobbies => "hobbies",
            Field::Family => "family",
            Field::Notes => "notes",
            Field::Uid => "uid",
            Field::Roles => "roles",
            Field::Industry => "industry",
            Field::CompanySize => "company_size",
        }
    }

    pub fn by_id(s: &str) -> Option<Field> {
        let s = s.trim().to_ascii_lowercase();
        Field::ALL.iter().copied().find(|f| f.id() == s)
    }

    /// The field after (`+1`) or before (`-1`) this one in [`Field::ALL`].
    pub fn cycle(self, step: i32) -> Field {
        let n = Field::ALL.len() as i32;
        let i = Field::ALL.iter().position(|f| *f == self).unwrap_or(0) as i32;
        Field::ALL[((i + step).rem_euclid(n)) as usize]
    }

    /// Whether several columns may fill this field (phones add up; the
    /// others take the first non-empty value).
    pub fn repeats(self) -> bool {
        matches!(self, Field::Phone | Field::Tags | Field::Notes | Field::Ignore)
    }
}

/// Header words, normalised (lower case, letters only, digits dropped so
/// `Phone 2 - Value` reads `phonevalue`), and the field they name.
const ALIASES: &[(&str, Field)] = &[
    // English, generic CRM and spreadsheet headers
    ("name", Field::Name),
    ("fullname", Field::Name),
    ("contactname", Field::Name),
    ("contact", Field::Name),
    ("customer", Field::Name),
    ("customername", Field::Name),
    ("displayname", Field::Name),
    ("firstname", Field::GivenName),
    ("givenname", Field::GivenName),
    ("middlename", Field::MiddleName),
    ("additionalname", Field::MiddleName),
    ("lastname", Field::FamilyName),
    ("familyname", Field::FamilyName),
    ("surname", Field::FamilyName),
    ("company", Field::Company),
    ("companyname", Field::Company),
    ("organization", Field::Company),
    ("organisation", Field::Company),
    ("organizationname", Field::Company),
    ("employer", Field::Company),
    ("account", Field::Company),
    ("accountname", Field::Company),
    ("roles", Field::Roles),
    ("buyingrole", Field::Roles),
    ("buyingroles", Field::Roles),
    ("industry", Field::Industry),
    ("sector", Field::Industry),
    ("companysize", Field::CompanySize),
    ("size", Field::CompanySize),
    ("employees", Field::CompanySize),
    ("headcount", Field::CompanySize),
    ("title", Field::Role),
    ("jobtitle", Field::Role),
    ("role", Field::Role),
    ("position", Field::Role),
    ("organizationtitle", Field::Role),
    ("phone", Field::Phone),
    ("phones", Field::Phone),
    ("phonenumber", Field::Phone),
    ("phonevalue", Field::Phone),
    ("telephone", Field::Phone),
    ("tel", Field::Phone),
    ("mobile", Field::Phone),
    ("mobilephone", Field::Phone),
    ("cell", Field::Phone),
    ("cellphone", Field::Phone),
    ("businessphone", Field::Phone),
    ("homephone", Field::Phone),
    ("workphone", Field::Phone),
    ("primaryphone", Field::Phone),
    ("companymainphone", Field::Phone),
    ("wechat", Field::Wechat),
    ("wechatid", Field::Wechat),
    ("weixin", Field::Wechat),
    ("email", Field::Email),
    ("emailaddress", Field::Email),
    ("emailvalue", Field::Email),
    ("mail", Field::Email),
    ("city", Field::City),
    ("town", Field::City),
    ("region", Field::City),
    ("location", Field::City),
    ("addresscity", Field::City),
    ("businesscity", Field::City),
    ("homecity", Field::City),
    ("birthday", Field::Birthday),
    ("birthdate", Field::Birthday),
    ("dateofbirth", Field::Birthday),
    ("dob", Field::Birthday),
    ("grade", Field::Grade),
    ("level", Field::Grade),
    ("tier", Field::Grade),
    ("status", Field::Status),
    ("stage", Field::Status),
    ("relationship", Field::Relationship),
    ("personality", Field::Personality),
    ("tags", Field::Tags),
    ("labels", Field::Tags),
    ("categories", Field::Tags),
    ("groupmembership", Field::Tags),
    ("hobbies", Field::Hobbies),
    ("interests", Field::Hobbies),
    ("family", Field::Family),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("comments", Field::Notes),
    ("comment", Field::Notes),
    ("remarks", Field::Notes),
    // 中文表头
    ("姓名", Field::Name),
    ("名字", Field::Name),
    ("联系人", Field::Name),
    ("客户", Field::Name),
    ("客户姓名", Field::Name),
    ("客户名称", Field::Name),
    ("联系人姓名", Field::Name),
    ("姓", Field::FamilyName),
    ("名", Field::GivenName),
    ("角色", Field::Roles),
    ("决策角色", Field::Roles),
    ("行业", Field::Industry),
    ("所属行业", Field::Industry),
    ("规模", Field::CompanySize),
    ("公司规模", Field::CompanySize),
    ("企业规模", Field::CompanySize),
    ("员工人数", Field::CompanySize),
    ("人数", Field::CompanySize),
    ("公司", Field::Company),
    ("公司名称", Field::Company),
    ("单位", Field::Company),
    ("单位名称", Field::Company),
    ("工作单位", Field::Company),
    ("企业", Field::Company),
    ("企业名称", Field::Company),
    ("职务", Field::Role),
    ("职位", Field::Role),
    ("头衔", Field::Role),
    ("岗位", Field::Role),
    ("电话", Field::Phone),
    ("手机", Field::Phone),
    ("手机号", Field::Phone),
    ("手机号码", Field::Phone),
    ("电话号码", Field::Phone),
    ("联系电话", Field::Phone),
    ("联系方式", Field::Phone),
    ("移动电话", Field::Phone),
    ("座机", Field::Phone),
    ("办公电话", Field::Phone),
    ("微信", Field::Wechat),
    ("微信号", Field::Wechat),
    ("邮箱", Field::Email),
    ("电子邮箱", Field::Email),
    ("电子邮件", Field::Email),
    ("邮件", Field::Email),
    ("城市", Field::City),
    ("地区", Field::City),
    ("所在地", Field::City),
    ("所在城市", Field::City),
    ("区域", Field::City),
    ("生日", Field::Birthday),
    ("农历生日", Field::LunarBirthday),
    ("阴历生日", Field::LunarBirthday),
    ("lunarbirthday", Field::LunarBirthday),
    ("出生日期", Field::Birthday),
    ("等级", Field::Grade),
    ("级别", Field::Grade),
    ("客户等级", Field::Grade),
    ("客户级别", Field::Grade),
    ("状态", Field::Status),
    ("客户状态", Field::Status),
    ("关系", Field::Relationship),
    ("关系水平", Field::Relationship),
    ("性格", Field::Personality),
    ("标签", Field::Tags),
    ("分类", Field::Tags),
    ("爱好", Field::Hobbies),
    ("兴趣爱好", Field::Hobbies),
    ("家庭", Field::Family),
    ("家庭情况", Field::Family),
    ("备注", Field::Notes),
    ("备注信息", Field::Notes),
    ("说明", Field::Notes),
];

/// Lower case, letters only: `E-mail 2 Address` → `emailaddress`,
/// `手机号码（主）` → `手机号码主`.
pub fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, if any.
pub fn field_of(header: &str) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    ALIASES.iter().find(|(a, _)| *a == n).map(|(_, f)| *f)
}

/// Which field each column of a file fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<Field>,
}

impl Mapping {
    /// The mapping a header suggests. Outlook's `Title` (Mr., Dr.) is
    /// ignored when a `Job Title` column exists; a second column for a
    /// single-valued field (two e-mail columns) fills it only when the
    /// first is empty.
    pub fn detect(header: &[String]) -> Mapping {
        let mut columns: Vec<Field> = header.iter().map(|h| field_of(h).unwrap_or(Field::Ignore)).collect();
        let has_job_title = header.iter().any(|h| normalise(h) == "jobtitle");
        for (i, h) in header.iter().enumerate() {
            let n = normalise(h);
            if has_job_title && n == "title" {
                columns[i] = Field::Ignore;
            }
            // Google's "Phone 1 - Label" and the like describe a value.
            if n.ends_with("label") || n.ends_with("type") {
                columns[i] = Field::Ignore;
            }
        }
        Mapping { columns }
    }

    /// Whether the mapping finds a name (a name column, or name parts).
    pub fn has_name(&self) -> bool {
        self.columns
            .iter()
            .any(|f| matches!(f, Field::Name | Field::GivenName | Field::FamilyName))
    }

    /// How many columns are imported.
    pub fn used(&self) -> usize {
        self.columns.iter().filter(|f| **f != Field::Ignore).count()
    }

    /// Applies a user's `COLUMN=FIELD` choice: the column by its 1-based
    /// number or its header text. Returns the column (0-based).
    pub fn set(&mut self, header: &[String], spec: &str) -> Result<usize, String> {
        let (col, field) = spec
            .rsplit_once('=')
            .ok_or_else(|| format!("{spec:?}: use COLUMN=FIELD"))?;
        let field = Field::by_id(field).ok_or_else(|| {
            let ids: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
            format!("{field:?}: fields are {}", ids.join(", "))
        })?;
        let index = column_index(header, self.columns.len(), col)?;
        self.columns[index] = field;
        Ok(index)
    }

    /// The other column (0-based) that already fills single-valued
    /// `field`, if any.
    pub fn taken_by(&self, field: Field, except: usize) -> Option<usize> {
        if field.repeats() {
            return None;
        }
        self.columns
            .iter()
            .enumerate()
            .find(|(i, f)| *i != except && **f == field)
            .map(|(i, _)| i)
    }

    /// Moves column `col` `step` fields on, past the single-valued fields
    /// another column already fills (one field, one column); returns the
    /// fields passed over that way.
    pub fn cycle_column(&mut self, col: usize, step: i32) -> Vec<(Field, usize)> {
        let mut passed = Vec::new();
        let Some(mut f) = self.columns.get(col).copied() else {
            return passed;
        };
        for _ in 0..Field::ALL.len() {
            f = f.cycle(step);
            match self.taken_by(f, col) {
                Some(other) => passed.push((f, other)),
                None => break,
            }
        }
        self.columns[col] = f;
        passed
    }

    /// Applies `--map` specs: two of them naming one single-valued field
    /// are refused; a spec wins over what the header suggested, whose
    /// column is then ignored.
    pub fn apply_specs(&mut self, header: &[String], specs: &[String]) -> Result<(), String> {
        let mut set: Vec<usize> = Vec::new();
        for spec in specs {
            let col = self.set(header, spec)?;
            let field = self.columns[col];
            if let Some(other) = self.taken_by(field, col) {
                if set.contains(&other) {
                    return Err(format!(
                        "{spec:?}: {} is already column {} (one column per field, except phone, tags and notes)",
                        field.id(),
                        other + 1
                    ));
                }
                self.columns[other] = Field::Ignore;
            }
            set.push(col);
        }
        Ok(())
    }
}

/// The column a user names in `COLUMN=FIELD`: its 1-based number, or its
/// header text (exactly, or normalised).
pub fn column_index(header: &[String], columns: usize, col: &str) -> Result<usize, String> {
    let col = col.trim();
    match col.parse::<usize>() {
        Ok(n) if n >= 1 && n <= columns => Ok(n - 1),
        Ok(n) => Err(format!("column {n}: the file has {columns} columns")),
        Err(_) => header
            .iter()
            .position(|h| h.trim() == col || normalise(h) == normalise(col))
            .ok_or_else(|| format!("{col:?}: no such column")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_headers() {
        let m = Mapping::detect(&h(&[
            "姓名",
            "单位",
            "手机",
            "微信号",
            "邮箱",
            "地区",
            "生日",
            "级别",
            "备注",
            "其他",
        ]));
        use Field::*;
        assert_eq!(
            m.columns,
            vec![
                Name, Company, Phone, Wechat, Email, City, Birthday, Grade, Notes, Ignore
            ]
        );
        assert!(m.has_name());
    }

    #[test]
    fn google_contacts_headers() {
        let m = Mapping::detect(&h(&[
            "First Name",
            "Middle Name",
            "Last Name",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "Phone 1 - Label",
            "Phone 1 - Value",
            "Phone 2 - Value",
            "Organization Name",
            "Organization Title",
            "Birthday",
            "Notes",
            "Labels",
            "Address 1 - City",
        ]));
        use Field::*;
        assert_eq!(
            m.columns,
            vec![
                GivenName, MiddleName, FamilyName, Ignore, Email, Ignore, Phone, Phone, Company, Role, Birthday, Notes,
                Tags, City
            ]
        );
    }

    #[test]
    fn outlook_title_is_a_courtesy_title_next_to_job_title() {
        let m = Mapping::detect(&h(&[
            "Title",
            "First Name",
            "Last Name",
            "Company",
            "Job Title",
            "Business Phone",
            "Mobile Phone",
            "E-mail Address",
            "Business City",
        ]));
        use Field::*;
        assert_eq!(
            m.columns,
            vec![Ignore, GivenName, FamilyName, Company, Role, Phone, Phone, Email, City]
        );
        let plain = Mapping::detect(&h(&["Name", "Title"]));
        assert_eq!(plain.columns, vec![Name, Role]);
    }

    #[test]
    fn the_user_changes_a_column() {
        let header = h(&["Kunde", "Firma", "x"]);
        let mut m = Mapping::detect(&header);
        assert!(!m.has_name());
        m.set(&header, "Kunde=name").unwrap();
        m.set(&header, "2=company").unwrap();
        assert_eq!(m.columns, vec![Field::Name, Field::Company, Field::Ignore]);
        assert!(m.set(&header, "9=phone").is_err());
        // One column per single-valued field: a spec moves it, two refuse.
        let mut two = Mapping::detect(&header);
        two.apply_specs(&header, &["2=name".to_string()]).unwrap();
        assert_eq!(two.columns.iter().filter(|f| **f == Field::Name).count(), 1);
        assert_eq!(two.columns[1], Field::Name);
        let err = two
            .apply_specs(&header, &["1=name".to_string(), "2=name".to_string()])
            .unwrap_err();
        assert!(err.contains("already column 1"), "{err}");
        // Phones may repeat.
        let mut phones = Mapping::detect(&header);
        phones
            .apply_specs(&header, &["1=phone".to_string(), "2=phone".to_string()])
            .unwrap();
        assert!(m.set(&header, "x=shoe size").is_err());
        assert!(m.set(&header, "nothing").is_err());
    }

    #[test]
    fn cycling_visits_every_field() {
        let mut f = Field::Ignore;
        for _ in 0..Field::ALL.len() {
            f = f.cycle(1);
        }
        assert_eq!(f, Field::Ignore);
        assert_eq!(Field::Ignore.cycle(-1), Field::CompanySize);
    }
}
