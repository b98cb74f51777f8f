//! Writing `<dependency>` elements the way the surrounding pom writes them:
//! the same indentation, the same line endings, one line or several.

use std::ops::Range;

use crate::edit::TextEdit;

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

/// An element to write: a leaf with text, or an element with children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlNode {
    Leaf(&'static str, String),
    Branch(&'static str, Vec<XmlNode>),
}

impl XmlNode {
    /// `<dependency>` (or `<exclusion>`) children for coordinates.
    pub fn coordinates(group: &str, artifact: &str, version: Option<&str>) -> Vec<XmlNode> {
        let mut out = vec![
            XmlNode::Leaf("groupId", group.to_string()),
            XmlNode::Leaf("artifactId", artifact.to_string()),
        ];
        if let Some(v) = version {
            out.push(XmlNode::Leaf("version", v.to_string()));
        }
        out
    }

    fn render(&self, style: &ElementStyle, indent: &str, unit: &str) -> String {
        match self {
            XmlNode::Leaf(name, text) => format!("<{name}>{}</{name}>", escape(text)),
            XmlNode::Branch(name, children) if style.multiline => {
                let inner = format!("{indent}{unit}");
                let body: Vec<String> = children
                    .iter()
                    .map(|c| format!("{inner}{}", c.render(style, &inner, unit)))
                    .collect();
                let nl = style.newline;
                format!("<{name}>{nl}{}{nl}{indent}</{name}>", body.join(nl))
            }
            XmlNode::Branch(name, children) => {
                let body: String = children
                    .iter()
                    .map(|c| c.render(style, indent, unit))
                    .collect();
                format!("<{name}>{body}</{name}>")
            }
        }
    }
}

/// One indentation step of a pom, from an element's style.
fn unit_of(style: &ElementStyle) -> String {
    match style.inner.strip_prefix(style.indent.as_str()) {
        Some(u) if !u.is_empty() => u.to_string(),
        _ if style.indent.contains('\t') => "\t".to_string(),
        _ => "    ".to_string(),
    }
}

/// Where the end tag of the element at `span` starts.
pub fn end_tag_of(text: &str, span: &Range<usize>) -> usize {
    text[span.clone()]
        .rfind("</")
        .map_or(span.end, |i| span.start + i)
}

/// Writes `children` as the last children of the element at `span`, in
/// the element's own layout.
pub fn append_children(text: &str, span: &Range<usize>, children: &[XmlNode]) -> TextEdit {
    let style = style_of(text, span);
    let unit = unit_of(&style);
    let end_tag = end_tag_of(text, span);
    let line_start = text[..end_tag].rfind('\n').map_or(0, |i| i + 1);
    let end_on_own_line = text[line_start..end_tag]
        .chars()
        .all(|c| c == ' ' || c == '\t');
    if !style.multiline {
        let body: String = children.iter().map(|c| c.render(&style, "", "")).collect();
        return TextEdit {
            span: end_tag..end_tag,
            text: body,
        };
    }
    let inner = format!("{}{unit}", style.indent);
    let nl = style.newline;
    let body: String = children
        .iter()
        .map(|c| format!("{inner}{}{nl}", c.render(&style, &inner, &unit)))
        .collect();
    if end_on_own_line {
        TextEdit {
            span: line_start..line_start,
            text: body,
        }
    } else {
        TextEdit {
            span: end_tag..end_tag,
            text: format!("{nl}{body}{}", style.indent),
        }
    }
}

/// Writes `node` on its own lines just before the element at `sibling`,
/// at the sibling's indentation.
pub fn insert_before(text: &str, sibling: &Range<usize>, node: &XmlNode) -> TextEdit {
    let mut style = style_of(text, sibling);
    style.multiline = true;
    let unit = unit_of(&style);
    let nl = style.newline;
    if style.own_lines {
        let line_start = sibling.start - style.indent.len();
        TextEdit {
            span: line_start..line_start,
            text: format!(
                "{}{}{nl}",
                style.indent,
                node.render(&style, &style.indent, &unit)
            ),
        }
    } else {
        TextEdit {
            span: sibling.start..sibling.start,
            text: node.render(&style, &style.indent, &unit),
        }
    }
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
    fn children_and_siblings_follow_the_layout() {
        let text = "<project>\r\n\t<dependencies>\r\n\t\t<dependency>\r\n\t\t\t<groupId>g</groupId>\r\n\t\t</dependency>\r\n\t</dependencies>\r\n</project>";
        let deps_start = text.find("<dependencies>").unwrap();
        let deps_end = text.find("</dependencies>").unwrap() + "</dependencies>".len();
        let dep = XmlNode::Branch("dependency", XmlNode::coordinates("a", "b", Some("1")));
        let added = append_children(text, &(deps_start..deps_end), std::slice::from_ref(&dep));
        let managed = XmlNode::Branch(
            "dependencyManagement",
            vec![XmlNode::Branch("dependencies", vec![dep])],
        );
        let before = insert_before(text, &(deps_start..deps_end), &managed);
        let out = crate::edit::apply(text, &[added, before]).unwrap();
        assert_eq!(
            out,
            "<project>\r\n\t<dependencyManagement>\r\n\t\t<dependencies>\r\n\t\t\t<dependency>\r\n\t\t\t\t<groupId>a</groupId>\r\n\t\t\t\t<artifactId>b</artifactId>\r\n\t\t\t\t<version>1</version>\r\n\t\t\t</dependency>\r\n\t\t</dependencies>\r\n\t</dependencyManagement>\r\n\t<dependencies>\r\n\t\t<dependency>\r\n\t\t\t<groupId>g</groupId>\r\n\t\t</dependency>\r\n\t\t<dependency>\r\n\t\t\t<groupId>a</groupId>\r\n\t\t\t<artifactId>b</artifactId>\r\n\t\t\t<version>1</version>\r\n\t\t</dependency>\r\n\t</dependencies>\r\n</project>"
        );
    }

    #[test]
    fn a_child_of_a_one_line_element_stays_on_its_line() {
        let text = "<dependency><groupId>g</groupId></dependency>";
        let edit = append_children(
            text,
            &(0..text.len()),
            &[XmlNode::Branch(
                "exclusions",
                vec![XmlNode::Branch(
                    "exclusion",
                    XmlNode::coordinates("x", "y", None),
                )],
            )],
        );
        assert_eq!(
            crate::edit::apply(text, &[edit]).unwrap(),
            "<dependency><groupId>g</groupId><exclusions><exclusion><groupId>x</groupId><artifactId>y</artifactId></exclusion></exclusions></dependency>"
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
