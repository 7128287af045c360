//! Commands of team sync in the TUI (issue 20).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Sync now, in the background.
    Now,
    /// Open the conflicts waiting for the rep.
    Conflicts,
    /// In the conflicts overlay: keep my value, the server's, or type one.
    KeepMine,
    KeepTheirs,
    Edit,
}
