//! Pure business rules: no SQL, no terminal, no clock reads.
//! Every function that depends on the date takes `today` as a parameter.

pub mod account;
pub mod agenda;
pub mod app_note;
pub mod cadence;
pub mod complaint;
pub mod customer;
pub mod dates;
pub mod duplicates;
pub mod filter;
pub(crate) mod fnv;
pub mod holidays;
pub mod interaction;
pub mod lunar;
mod memo;
pub mod merge;
pub mod phone;
pub mod pinyin;
pub mod qualification;
pub mod searchkey;
pub mod text;
pub mod validate;
pub mod value;

/// Declares a closed set of values stored as short strings in the database
/// and shown through the string catalog (`<prefix>.<value>`).
#[macro_export]
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable identifier stored in the database and used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// The catalog key of the display label.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $s)),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }

            /// Position in `ALL`.
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }
        }
    };
}
