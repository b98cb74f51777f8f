//! Writing `<dependency>` elements the way the surrounding pom writes them:
//! the same indentation, the same line endings, one line or several.

use std::ops::Range;

/// How an existing element is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementStyle {
    /// Whitespace before the element on its line.
    pub indent: String,
    /// Whitespace before the element's children.
    pub inner: String,
    pub newline: &'static str,
    /// Children on lines of their own.
    pub multiline: bool,
    /// Nothing but whitespace around the element on its lines.
    pub own_lines: bool,
}

/// The style of the element at `span` in `text`.
pub fn style_of(text: &str, span: &Range<usize>) -> ElementStyle {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..span.start];
    let own_start = before.chars().all(|c| c == ' ' || c == '\t');
    let indent = if own_start {
        before.to_string()
    } else {
        String::new()
    };
    let element = &text[span.clone()];
    let multiline = element.contains('\n');
    let newline = if element.contains("\r\n") || (!multiline && text.contains("\r\n")) {
        "\r\n"
    } else {
        "\n"
    };
    let inner = element
        .find('\n')
        .map(|i| {
            element[i + 1..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .filter(|s| s.len() > indent.len())
        .unwrap_or_else(|| {
            let unit = if indent.contains('\t') { "\t" } else { "  " };
            format!("{indent}{unit}")
        });
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let own_end = text[span.end..line_end].trim().is_empty();
    ElementStyle {
        indent,
        inner,
        newline,
        multiline,
        own_lines: own_start && own_end,
    }
}

/// A dependency to write.
#[derive(Debug, Clone)]
pub struct NewDependency<'a> {
    pub group: &'a str,
    pub artifact: &'a str,
    pub version: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Raw `<exclusions>…</exclusions>` text carried over, as written.
    pub exclusions: Option<&'a str>,
}

/// The text of one `<dependency>` element, without the leading indent of
/// its first line (the caller's position already has it).
pub fn render(style: &ElementStyle, dep: &NewDependency) -> String {
    let mut children = vec![
        format!("<groupId>{}</groupId>", escape(dep.group)),
        format!("<artifactId>{}</artifactId>", escape(dep.artifact)),
    ];
    if let Some(v) = dep.version {
        children.push(format!("<version>{}</version>", escape(v)));
    }
    if let Some(k) = dep.kind {
        children.push(format!("<type>{}</type>", escape(k)));
    }
    if let Some(s) = dep.scope {
        children.push(format!("<scope>{}</scope>", escape(s)));
    }
    if let Some(x) = dep.exclusions {
        children.push(x.to_string());
    }
    if style.multiline {
        let sep = format!("{}{}", style.newline, style.inner);
        format!(
            "<dependency>{sep}{}{}{}</dependency>",
            children.join(&sep),
            style.newline,
            style.indent
        )
    } else {
        format!("<dependency>{}</dependency>", children.concat())
    }
}

/// Several elements in a row, each on its own line(s) when the original was.
pub fn render_all(style: &ElementStyle, deps: &[NewDependency]) -> String {
    let sep = if style.own_lines {
        format!("{}{}", style.newline, style.indent)
    } else {
        String::new()
    };
    deps.iter()
        .map(|d| render(style, d))
        .collect::<Vec<_>>()
        .join(&sep)
}

/// The range to delete to remove the element at `span`: its whole lines
/// when it stands alone on them, else just the element.
pub fn removal_span(text: &str, span: &Range<usize>, style: &ElementStyle) -> Range<usize> {
    if !style.own_lines {
        return span.clone();
    }
    let start = span.start - style.indent.len();
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    start..end
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiline_crlf_with_tabs() {
        let text = "<dependencies>\r\n\t\t<dependency>\r\n\t\t\t<groupId>log4j</groupId>\r\n\t\t</dependency>\r\n</dependencies>";
        let start = text.find("<dependency>").unwrap();
        let end = text.find("</dependency>").unwrap() + "</dependency>".len();
        let style = style_of(text, &(start..end));
        assert_eq!(style.indent, "\t\t");
        assert_eq!(style.inner, "\t\t\t");
        assert_eq!(style.newline, "\r\n");
        assert!(style.multiline && style.own_lines);
        let deps = [
            NewDependency {
                group: "a",
                artifact: "b",
                version: Some("1"),
                scope: None,
                kind: None,
                exclusions: None,
            },
            NewDependency {
                group: "c",
                artifact: "d",
                version: None,
                scope: Some("provided"),
                kind: None,
                exclusions: None,
            },
        ];
        assert_eq!(
            render_all(&style, &deps),
            "<dependency>\r\n\t\t\t<groupId>a</groupId>\r\n\t\t\t<artifactId>b</artifactId>\r\n\t\t\t<version>1</version>\r\n\t\t</dependency>\r\n\t\t<dependency>\r\n\t\t\t<groupId>c</groupId>\r\n\t\t\t<artifactId>d</artifactId>\r\n\t\t\t<scope>provided</scope>\r\n\t\t</dependency>"
        );
        let removal = removal_span(text, &(start..end), &style);
        assert_eq!(
            format!("{}{}", &text[..removal.start], &text[removal.end..]),
            "<dependencies>\r\n</dependencies>"
        );
    }

    #[test]
    fn single_line_elements_stay_single_line() {
        let text = "<deps><dependency><groupId>x</groupId></dependency></deps>";
        let start = text.find("<dependency>").unwrap();
        let end = text.find("</deps>").unwrap();
        let style = style_of(text, &(start..end));
        assert!(!style.multiline && !style.own_lines);
        let dep = NewDependency {
            group: "a",
            artifact: "b",
            version: None,
            scope: None,
            kind: None,
            exclusions: None,
        };
        assert_eq!(
            render(&style, &dep),
            "<dependency><groupId>a</groupId><artifactId>b</artifactId></dependency>"
        );
        assert_eq!(removal_span(text, &(start..end), &style), start..end);
    }
}
