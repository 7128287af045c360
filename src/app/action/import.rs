//! The import overlay's commands.

/// The overlay's own commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Complete,
    Encoding,
    /// The next sheet of a workbook (that is not empty).
    Sheet,
    /// The highlighted column is not imported.
    Ignore,
    Policy,
    Skip,
    Merge,
    Keep,
    SkipAll,
    MergeAll,
    /// The status of rows that give none: the next one.
    DefaultStatus,
    /// The grade of rows that give none: the next one.
    DefaultGrade,
    /// Whether imported customers are followed up as new ones.
    AsNew,
}
