//! Commands of the account view (DOMAIN §6).

/// What the account view asks for beyond moving and opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Open the account of the selected customer (list, card).
    Open,
    EditCompany,
    Roles,
    /// The selected person left the company.
    Leave,
    AddPerson,
    /// Find a company by name or pinyin.
    FindCompany,
}
