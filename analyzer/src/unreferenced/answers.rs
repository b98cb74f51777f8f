//! What a file's text says to the questions [`super::settle`] asks of it,
//! kept with the name search's record: a file whose status is the one
//! recorded is not read again to answer a question it answered before
//! (on a warm run on dubbo, such reads were half of `settle`'s time).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{
    calls_through, declared_package, hands_on, names_in_literal, names_only_in_mains,
    names_only_in_sample_data, sees_class, TypeRuns,
};
use crate::snapshot::Stamps;
use crate::walk::RepoFile;

/// A question asked of one file's text alone: what the rest of the
/// repository says (whether the file's module reaches another) is asked
/// apart, so that the answer holds while the file is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Question {
    /// It holds the name in a literal ([`names_in_literal`]).
    InLiteral(String),
    /// It declares the package, or can mean the package's class by its
    /// simple name ([`sees_class`]).
    Sees { package: String, class: String },
    /// It extends the class or hands it to a framework ([`hands_on`]).
    HandsOn(String),
    /// It calls the class's static method through the class
    /// ([`calls_through`]).
    CallsThrough { class: String, method: String },
    /// How its type of that name runs ([`TypeRuns::read`]).
    TypeRuns { class: String, programs_start: bool },
    /// Every literal naming the word lies in a method named for sample
    /// data ([`names_only_in_sample_data`]).
    OnlyInSampleData(String),
    /// Every use of the word lies in a static `main()` ([`names_only_in_mains`]).
    OnlyInMains(String),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) enum Answer {
    Holds(bool),
    TypeRuns(Option<TypeRuns>),
}

impl Question {
    fn work_out(&self, text: &str) -> Answer {
        match self {
            Question::InLiteral(name) => Answer::Holds(names_in_literal(text, name)),
            Question::Sees { package, class } => Answer::Holds(
                declared_package(text) == Some(package.as_str())
                    || sees_class(text, package, class),
            ),
            Question::HandsOn(class) => Answer::Holds(hands_on(text, class)),
            Question::CallsThrough { class, method } => {
                Answer::Holds(calls_through(text, class, method))
            }
            Question::TypeRuns {
                class,
                programs_start,
            } => Answer::TypeRuns(TypeRuns::read(text, class, *programs_start)),
            Question::OnlyInSampleData(word) => {
                Answer::Holds(names_only_in_sample_data(text, word))
            }
            Question::OnlyInMains(word) => Answer::Holds(names_only_in_mains(text, word)),
        }
    }
}

/// A file's answers, by its index among the walked files.
pub(super) type FileAnswers = HashMap<usize, Vec<(Question, Answer)>>;

/// The answers of a run: those recorded of files unchanged since, and
/// those worked out from the texts read.
pub(super) struct TextAnswers<'f> {
    files: &'f [RepoFile],
    known: RefCell<FileAnswers>,
    /// The last text read: the questions about one file come together.
    last_read: RefCell<Option<(usize, Rc<str>)>>,
    worked_out: Cell<usize>,
}

impl<'f> TextAnswers<'f> {
    /// `recorded`: the answers an earlier run kept, by path, each with the
    /// file's status then; those of a file whose status is the same now
    /// (`stamps`) and older than `trusted_before` are taken as they were.
    pub fn new<'r>(
        files: &'f [RepoFile],
        recorded: impl Iterator<Item = (&'r str, &'r super::FilePlaces)>,
        stamps: Option<&Stamps>,
        trusted_before: (i64, i64),
    ) -> Self {
        let mut known = FileAnswers::new();
        if let Some(stamps) = stamps {
            let recorded: HashMap<&str, &super::FilePlaces> = recorded
                .filter(|(_, was)| !was.answers.is_empty())
                .collect();
            if !recorded.is_empty() {
                for (i, f) in files.iter().enumerate() {
                    let Some(was) = recorded.get(f.rel.as_str()) else {
                        continue;
                    };
                    if stamps
                        .of(i)
                        .is_some_and(|now| super::unchanged(&was.stamp, &now, trusted_before))
                    {
                        known.insert(i, was.answers.clone());
                    }
                }
            }
        }
        TextAnswers {
            files,
            known: RefCell::new(known),
            last_read: RefCell::new(None),
            worked_out: Cell::new(0),
        }
    }

    /// What the file's text answers; `None` when it cannot be read (not
    /// kept: a read may succeed later).
    fn ask(&self, file: usize, question: Question) -> Option<Answer> {
        if let Some((_, answer)) = self
            .known
            .borrow()
            .get(&file)
            .and_then(|answers| answers.iter().find(|(q, _)| *q == question))
        {
            return Some(answer.clone());
        }
        let text = self.text_of(file)?;
        let answer = question.work_out(&text);
        self.worked_out.set(self.worked_out.get() + 1);
        self.known
            .borrow_mut()
            .entry(file)
            .or_default()
            .push((question, answer.clone()));
        Some(answer)
    }

    fn text_of(&self, file: usize) -> Option<Rc<str>> {
        if let Some((_, text)) = self.last_read.borrow().as_ref().filter(|(f, _)| *f == file) {
            return Some(Rc::clone(text));
        }
        let bytes = std::fs::read(&self.files[file].abs).ok()?;
        let text: Rc<str> = String::from_utf8_lossy(&bytes).into();
        *self.last_read.borrow_mut() = Some((file, Rc::clone(&text)));
        Some(text)
    }

    /// Whether the file's text says yes (an unreadable file says no).
    pub fn holds(&self, file: usize, question: Question) -> bool {
        matches!(self.ask(file, question), Some(Answer::Holds(true)))
    }

    pub fn type_runs(&self, file: usize, class: &str, programs_start: bool) -> Option<TypeRuns> {
        let question = Question::TypeRuns {
            class: class.to_string(),
            programs_start,
        };
        match self.ask(file, question)? {
            Answer::TypeRuns(runs) => runs,
            Answer::Holds(_) => None,
        }
    }

    /// How many answers this run worked out from a text.
    pub fn worked_out(&self) -> usize {
        self.worked_out.get()
    }

    pub fn into_known(self) -> FileAnswers {
        self.known.into_inner()
    }
}
