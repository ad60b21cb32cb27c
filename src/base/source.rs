//! Source text with a line index: byte offsets to 1-based line and column, and back. The one
//! place positions are computed: every reader that cites `file:line:column` goes through here.

/// Where each line of a text starts, for turning byte offsets into 1-based line and column (in
/// characters) and back. Holds no text: pass the same text it was built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }

    /// Byte offset of a 1-based line and column (in characters); the text's end when the
    /// position lies past it.
    pub fn offset(&self, text: &str, line: u64, column: u64) -> usize {
        let l = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.starts.get(l) else {
            return text.len();
        };
        let col = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        text.get(start..)
            .and_then(|rest| rest.char_indices().nth(col).map(|(i, _)| start + i))
            .unwrap_or(text.len())
    }

    /// The text of a 1-based line, without its newline.
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        Some(text.get(start..end)?.trim_end_matches(['\n', '\r']))
    }
}

/// 1-based line and column of one byte offset, when a text is asked once: only the text before
/// the offset is indexed.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    LineIndex::new(before).line_col(before, before.len())
}

/// A file's text and where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    index: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        SourceFile {
            path: path.into(),
            index: LineIndex::new(&text),
            text,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.index.line_col(&self.text, offset)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.index.line(&self.text, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = SourceFile::new("f", "ab\ncdé\nx");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(7), (2, 4));
        assert_eq!(s.line(2), Some("cdé"));
        assert_eq!(s.line(4), None);
    }

    #[test]
    fn one_off_positions_and_offsets_agree_with_the_index() {
        let text = "ab\ncdé\n\nxyz";
        let index = LineIndex::new(text);
        for offset in text.char_indices().map(|(i, _)| i).chain([text.len()]) {
            let (line, col) = index.line_col(text, offset);
            assert_eq!(line_col(text, offset), (line, col), "{offset}");
            assert_eq!(index.offset(text, line.into(), col.into()), offset);
        }
        // Past the end: the end.
        assert_eq!(index.offset(text, 9, 1), text.len());
        assert_eq!(index.offset(text, 1, 99), text.len());
        assert_eq!(line_col(text, 999), index.line_col(text, text.len()));
    }
}
