//! The columns of an order export and what they fill: English and Chinese
//! headers (客户, 手机, 日期, 商品, 数量, 金额 ...). The user can change any
//! column's field before importing, as for customers.

use super::fields::{column_index, normalise};

/// What one column of an order file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PurchaseField {
    Ignore,
    CustomerId,
    Name,
    Company,
    Phone,
    Date,
    Product,
    Quantity,
    Amount,
    Note,
}

impl PurchaseField {
    pub const ALL: [PurchaseField; 10] = [
        PurchaseField::Ignore,
        PurchaseField::CustomerId,
        PurchaseField::Name,
        PurchaseField::Company,
        PurchaseField::Phone,
        PurchaseField::Date,
        PurchaseField::Product,
        PurchaseField::Quantity,
        PurchaseField::Amount,
        PurchaseField::Note,
    ];

    /// The id used by `--map COLUMN=FIELD`.
    pub fn id(self) -> &'static str {
        match self {
            PurchaseField::Ignore => "ignore",
            PurchaseField::CustomerId => "customer_id",
            PurchaseField::Name => "name",
            PurchaseField::Company => "company",
            PurchaseField::Phone => "phone",
            PurchaseField::Date => "date",
            PurchaseField::Product => "product",
            PurchaseField::Quantity => "quantity",
            PurchaseField::Amount => "amount",
            PurchaseField::Note => "note",
        }
    }

    /// Catalog key of the label.
    pub fn key(self) -> &'static str {
        match self {
            PurchaseField::Ignore => "purchase.field.ignore",
            PurchaseField::CustomerId => "purchase.field.customer_id",
            PurchaseField::Name => "purchase.field.name",
            PurchaseField::Company => "purchase.field.company",
            PurchaseField::Phone => "purchase.field.phone",
            PurchaseField::Date => "purchase.field.date",
            PurchaseField::Product => "purchase.field.product",
            PurchaseField::Quantity => "purchase.field.quantity",
            PurchaseField::Amount => "purchase.field.amount",
            PurchaseField::Note => "purchase.field.note",
        }
    }

    pub fn by_id(s: &str) -> Option<PurchaseField> {
        let s = s.trim().to_ascii_lowercase();
        PurchaseField::ALL.iter().copied().find(|f| f.id() == s)
    }
}

/// Normalised headers (see `fields::normalise`) and the field they name.
const ALIASES: &[(&str, PurchaseField)] = &[
    ("id", PurchaseField::CustomerId),
    ("customerid", PurchaseField::CustomerId),
    ("clientid", PurchaseField::CustomerId),
    ("客户id", PurchaseField::CustomerId),
    ("客户编号", PurchaseField::CustomerId),
    ("name", PurchaseField::Name),
    ("customer", PurchaseField::Name),
    ("customername", PurchaseField::Name),
    ("client", PurchaseField::Name),
    ("buyer", PurchaseField::Name),
    ("contact", PurchaseField::Name),
    ("姓名", PurchaseField::Name),
    ("客户", PurchaseField::Name),
    ("客户名称", PurchaseField::Name),
    ("客户姓名", PurchaseField::Name),
    ("联系人", PurchaseField::Name),
    ("买家", PurchaseField::Name),
    ("收货人", PurchaseField::Name),
    ("company", PurchaseField::Company),
    ("organization", PurchaseField::Company),
    ("account", PurchaseField::Company),
    ("公司", PurchaseField::Company),
    ("单位", PurchaseField::Company),
    ("公司名称", PurchaseField::Company),
    ("phone", PurchaseField::Phone),
    ("mobile", PurchaseField::Phone),
    ("tel", PurchaseField::Phone),
    ("telephone", PurchaseField::Phone),
    ("手机", PurchaseField::Phone),
    ("手机号", PurchaseField::Phone),
    ("电话", PurchaseField::Phone),
    ("联系电话", PurchaseField::Phone),
    ("date", PurchaseField::Date),
    ("orderdate", PurchaseField::Date),
    ("purchasedate", PurchaseField::Date),
    ("invoicedate", PurchaseField::Date),
    ("日期", PurchaseField::Date),
    ("下单日期", PurchaseField::Date),
    ("订单日期", PurchaseField::Date),
    ("购买日期", PurchaseField::Date),
    ("下单时间", PurchaseField::Date),
    ("成交日期", PurchaseField::Date),
    ("product", PurchaseField::Product),
    ("item", PurchaseField::Product),
    ("description", PurchaseField::Product),
    ("sku", PurchaseField::Product),
    ("商品", PurchaseField::Product),
    ("产品", PurchaseField::Product),
    ("商品名称", PurchaseField::Product),
    ("产品名称", PurchaseField::Product),
    ("品名", PurchaseField::Product),
    ("qty", PurchaseField::Quantity),
    ("quantity", PurchaseField::Quantity),
    ("数量", PurchaseField::Quantity),
    ("件数", PurchaseField::Quantity),
    ("amount", PurchaseField::Amount),
    ("total", PurchaseField::Amount),
    ("value", PurchaseField::Amount),
    ("price", PurchaseField::Amount),
    ("revenue", PurchaseField::Amount),
    ("金额", PurchaseField::Amount),
    ("总额", PurchaseField::Amount),
    ("总金额", PurchaseField::Amount),
    ("订单金额", PurchaseField::Amount),
    ("实付金额", PurchaseField::Amount),
    ("成交金额", PurchaseField::Amount),
    ("note", PurchaseField::Note),
    ("notes", PurchaseField::Note),
    ("remark", PurchaseField::Note),
    ("comment", PurchaseField::Note),
    ("备注", PurchaseField::Note),
];

/// Which field each column of an order file fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseMapping {
    pub columns: Vec<PurchaseField>,
}

impl PurchaseMapping {
    /// The mapping a header suggests; a field named twice keeps its first column.
    pub fn detect(header: &[String]) -> PurchaseMapping {
        let mut columns = Vec::with_capacity(header.len());
        for h in header {
            let n = normalise(h);
            let f = ALIASES
                .iter()
                .find(|(a, _)| *a == n)
                .map(|(_, f)| *f)
                .unwrap_or(PurchaseField::Ignore);
            columns.push(if columns.contains(&f) { PurchaseField::Ignore } else { f });
        }
        PurchaseMapping { columns }
    }

    /// The column filling `field`, if any.
    pub fn column(&self, field: PurchaseField) -> Option<usize> {
        self.columns.iter().position(|f| *f == field)
    }

    /// What the mapping lacks to import anything: a date, an amount, and a
    /// way to find the customer. `None` when complete.
    pub fn missing(&self) -> Option<&'static str> {
        let has = |f| self.column(f).is_some();
        if !has(PurchaseField::Date) {
            Some("purchase.missing.date")
        } else if !has(PurchaseField::Amount) {
            Some("purchase.missing.amount")
        } else if !(has(PurchaseField::CustomerId) || has(PurchaseField::Name) || has(PurchaseField::Phone)) {
            Some("purchase.missing.customer")
        } else {
            None
        }
    }

    /// Applies `COLUMN=FIELD`, the column by 1-based number or header text;
    /// the field leaves any other column it was on.
    pub fn set(&mut self, header: &[String], spec: &str) -> Result<(), String> {
        let (col, field) = spec
            .rsplit_once('=')
            .ok_or_else(|| format!("{spec:?}: use COLUMN=FIELD"))?;
        let field = PurchaseField::by_id(field).ok_or_else(|| {
            let ids: Vec<&str> = PurchaseField::ALL.iter().map(|f| f.id()).collect();
            format!("{field:?}: fields are {}", ids.join(", "))
        })?;
        let index = column_index(header, self.columns.len(), col)?;
        if field != PurchaseField::Ignore {
            for c in &mut self.columns {
                if *c == field {
                    *c = PurchaseField::Ignore;
                }
            }
        }
        self.columns[index] = field;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_order_headers() {
        use PurchaseField::*;
        let m = PurchaseMapping::detect(&h(&[
            "订单号",
            "客户",
            "手机",
            "下单日期",
            "商品名称",
            "数量",
            "实付金额",
            "备注",
        ]));
        assert_eq!(
            m.columns,
            vec![Ignore, Name, Phone, Date, Product, Quantity, Amount, Note]
        );
        assert_eq!(m.missing(), None);
        let m = PurchaseMapping::detect(&h(&["Customer ID", "Order Date", "Item", "Qty", "Total"]));
        assert_eq!(m.columns, vec![CustomerId, Date, Product, Quantity, Amount]);
        let m = PurchaseMapping::detect(&h(&["Kunde", "Datum", "Betrag"]));
        assert_eq!(m.missing(), Some("purchase.missing.date"));
    }

    #[test]
    fn a_column_can_be_remapped() {
        let header = h(&["Kunde", "Datum", "Betrag", "Total"]);
        let mut m = PurchaseMapping::detect(&header);
        m.set(&header, "Kunde=name").unwrap();
        m.set(&header, "2=date").unwrap();
        m.set(&header, "3=amount").unwrap();
        assert_eq!(m.column(PurchaseField::Amount), Some(2));
        assert_eq!(m.columns[3], PurchaseField::Ignore);
        assert!(m.set(&header, "9=amount").is_err());
        assert!(m.set(&header, "1=price").unwrap_err().contains("amount"));
    }
}
