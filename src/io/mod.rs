//! Getting customers in and everything out again: CSV and vCard import,
//! CSV, vCard, JSON and iCalendar export, backup rotation. Pure parsing and
//! formatting: the SQL lives in `storage::io`, the commands in `cli`, the
//! import overlay in `app::import`.
//!
//! An import goes through the same steps whatever the source:
//! bytes → [`decode`] → rows ([`csvin`] or [`vcard`]) → customers and
//! rejects ([`convert`]) → duplicates found ([`plan`]) → one transaction
//! in storage.

pub mod backup;
pub mod convert;
pub mod csvin;
pub mod csvout;
pub mod decode;
pub mod defaults;
pub mod dump;
pub mod fields;
pub mod file;
pub mod ics;
pub mod load;
pub mod plan;
mod plan_keys;
pub mod purchase_fields;
pub mod purchases;
pub mod reject;
pub mod sheet;
pub mod update;
pub mod vcard;
pub mod xlsxout;

pub use backup::BackupConfig;
pub use fields::{Field, Mapping};
pub use plan::{Decision, DupPolicy, Plan, Summary};
pub use reject::{Problem, Reject};

use std::path::Path;

/// What kind of file an import reads, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Csv,
    VCard,
    Json,
    /// A spreadsheet workbook: `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`.
    Workbook,
}

impl Source {
    /// `.csv`, `.tsv` and `.txt` are CSV; `.vcf`/`.vcard` vCard; `.json` a
    /// full export; `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods` a workbook.
    pub fn of(path: &Path) -> Option<Source> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Source::Csv),
            "vcf" | "vcard" => Some(Source::VCard),
            "json" => Some(Source::Json),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Source::Workbook),
            _ => None,
        }
    }
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    VCard,
    Ics,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "vcf" | "vcard" => Some(Format::VCard),
            "ics" | "ical" | "icalendar" => Some(Format::Ics),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The format a file name's extension asks for.
    pub fn of(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }
}

/// Where the rejected rows of `input` are written: `contacts.csv` →
/// `contacts.rejects.csv`, next to the input.
pub fn rejects_path(input: &Path) -> std::path::PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    input.with_file_name(format!("{stem}.rejects.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_formats_by_extension() {
        assert_eq!(Source::of(Path::new("a/联系人.CSV")), Some(Source::Csv));
        assert_eq!(Source::of(Path::new("phone.vcf")), Some(Source::VCard));
        assert_eq!(Source::of(Path::new("all.json")), Some(Source::Json));
        assert_eq!(Source::of(Path::new("客户.XLSX")), Some(Source::Workbook));
        assert_eq!(Source::of(Path::new("book.ods")), Some(Source::Workbook));
        assert_eq!(Source::of(Path::new("book.pdf")), None);
        assert_eq!(Format::of(Path::new("out.xlsx")), Some(Format::Xlsx));
        assert_eq!(Format::of(Path::new("agenda.ics")), Some(Format::Ics));
        assert_eq!(Format::parse("VCF"), Some(Format::VCard));
        assert_eq!(
            rejects_path(Path::new("/tmp/x/contacts.csv")),
            Path::new("/tmp/x/contacts.rejects.csv")
        );
    }
}
