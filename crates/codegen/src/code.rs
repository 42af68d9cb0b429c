//! A small line writer: indentation and comment blocks.

/// The widest a comment line gets.
pub const WIDTH: usize = 100;

pub struct Code {
    out: String,
    /// One level of indentation.
    unit: &'static str,
    /// `//` or `#`.
    comment: &'static str,
    /// Whether a list may end in a comma (not in Java).
    trailing_comma: bool,
}

impl Code {
    pub fn new(unit: &'static str, comment: &'static str, trailing_comma: bool) -> Code {
        Code { out: String::new(), unit, comment, trailing_comma }
    }

    pub fn line(&mut self, depth: usize, text: &str) {
        if !text.is_empty() {
            for _ in 0..depth {
                self.out.push_str(self.unit);
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// Comment lines, wrapped at [`WIDTH`] columns between words. None may
    /// contain a line break (the texts here are fixed, and values in them
    /// are escaped literals).
    pub fn comments<S: AsRef<str>>(&mut self, depth: usize, notes: &[S]) {
        let room = WIDTH.saturating_sub(depth * self.unit.len() + self.comment.len() + 1).max(40);
        for n in notes {
            let n = n.as_ref();
            debug_assert!(!n.contains(['\n', '\r']), "a comment line with a line break: {n}");
            let mut line = String::new();
            for word in n.split(' ') {
                if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
                    let text = format!("{} {line}", self.comment);
                    self.line(depth, &text);
                    line.clear();
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
            let text = format!("{} {line}", self.comment);
            self.line(depth, &text);
        }
    }

    /// `head item, item tail` on one line when it fits in [`WIDTH`] columns,
    /// else one item a line, `cont` levels deeper than the head.
    pub fn list(&mut self, depth: usize, cont: usize, head: &str, items: &[String], tail: &str) {
        let one = format!("{head}{}{tail}", items.join(", "));
        if one.chars().count() + depth * self.unit.len() <= WIDTH {
            self.line(depth, &one);
            return;
        }
        self.line(depth, head);
        for (i, item) in items.iter().enumerate() {
            let comma = if i + 1 < items.len() || self.trailing_comma { "," } else { "" };
            self.line(depth + cont, &format!("{item}{comma}"));
        }
        self.line(depth, tail);
    }

    pub fn finish(self) -> String {
        self.out
    }
}
