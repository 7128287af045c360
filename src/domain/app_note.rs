//! Notes Rapport writes itself into a customer's status history (a change
//! made in the edit form, a merge, an import) are kept as data — a kind
//! and its parameter — not as a sentence in the writer's language, so
//! every reader sees them in their own. Stored in the same text column as
//! typed reasons, as `rapport:KIND:PARAMETER`; anything else is a reason
//! as typed.

/// What the app wrote, with its parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppNote {
    /// The status changed in the edit form without a reason typed (and
    /// what followed the sentence, such as a confirmation in brackets).
    Edited(String),
    /// Another customer was merged into this one (who, as shown then).
    Merged(String),
    /// The customer came from this file.
    Imported(String),
}

const PREFIX: &str = "rapport:";

impl AppNote {
    /// As stored.
    pub fn encode(&self) -> String {
        match self {
            AppNote::Edited(rest) => format!("{PREFIX}edited:{rest}"),
            AppNote::Merged(who) => format!("{PREFIX}merged:{who}"),
            AppNote::Imported(file) => format!("{PREFIX}imported:{file}"),
        }
    }

    /// The note a stored reason holds, when the app wrote it.
    pub fn decode(stored: &str) -> Option<AppNote> {
        let (kind, param) = stored.strip_prefix(PREFIX)?.split_once(':')?;
        match kind {
            "edited" => Some(AppNote::Edited(param.to_string())),
            "merged" => Some(AppNote::Merged(param.to_string())),
            "imported" => Some(AppNote::Imported(param.to_string())),
            _ => None,
        }
    }

    /// Catalog key of the sentence, the name of its placeholder (`None`:
    /// the parameter follows the sentence) and the parameter.
    pub fn parts(&self) -> (&'static str, Option<&'static str>, &str) {
        match self {
            AppNote::Edited(rest) => ("history.edited_in_form", None, rest),
            AppNote::Merged(who) => ("find.merge_reason", Some("who"), who),
            AppNote::Imported(file) => ("io.history_reason", Some("file"), file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_round_trip_and_typed_reasons_stay_typed() {
        for n in [
            AppNote::Edited(String::new()),
            AppNote::Edited(" (confirmed)".into()),
            AppNote::Merged("张伟 · 北京华联".into()),
            AppNote::Imported("客户: 2026.csv".into()),
        ] {
            assert_eq!(AppNote::decode(&n.encode()), Some(n));
        }
        for typed in [
            "",
            "first order signed",
            "rapport",
            "rapport:unknown:x",
            "merged with 张伟",
        ] {
            assert_eq!(AppNote::decode(typed), None, "{typed}");
        }
    }
}
