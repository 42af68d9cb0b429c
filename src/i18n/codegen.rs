//! Texts of the client code panel (chapter 5.3), in English and Korean.
//! The generated code itself, comments included, is English: it is code to
//! paste into a project, and Kafka's names are English in both languages.

use offsetlab_codegen::Language;

use super::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeText {
    Title,
    Intro,
    /// The tab list's accessible name.
    LanguagesLabel,
    Copy,
    CopyHelp,
    Copied,
    /// For Python and Rust: librdkafka's names and limits.
    LibrdkafkaNote,
    /// No spec: this source does not say how the consumer was configured.
    NoSpec,
}

impl CodeText {
    pub const ALL: [CodeText; 8] = [
        CodeText::Title,
        CodeText::Intro,
        CodeText::LanguagesLabel,
        CodeText::Copy,
        CodeText::CopyHelp,
        CodeText::Copied,
        CodeText::LibrdkafkaNote,
        CodeText::NoSpec,
    ];

    pub fn get(self, lang: Lang) -> &'static str {
        let (en, ko) = match self {
            CodeText::Title => ("Client code", "클라이언트 코드"),
            CodeText::Intro => (
                "This consumer as a program: the options that differ from Kafka's defaults, its commit strategy, subscribe() or assign().",
                "이 컨슈머를 프로그램으로 옮긴 코드입니다. Kafka 기본값과 다른 옵션, 커밋 방식, subscribe() 또는 assign()을 그대로 따릅니다.",
            ),
            CodeText::LanguagesLabel => ("Language of the code", "코드 언어"),
            CodeText::Copy => ("Copy", "복사"),
            CodeText::CopyHelp => ("Copy the code to the clipboard", "코드를 클립보드에 복사합니다"),
            CodeText::Copied => ("Copied", "복사했습니다"),
            CodeText::LibrdkafkaNote => (
                "This client is built on librdkafka, whose option names and limits differ from Java's in places; the comments say where.",
                "이 클라이언트는 librdkafka 기반이라 옵션 이름과 허용 범위가 Java와 다른 곳이 있습니다. 다른 곳은 주석에 적혀 있습니다.",
            ),
            CodeText::NoSpec => (
                "No code: this source does not say how the consumer was configured.",
                "코드 없음: 이 소스는 컨슈머가 어떻게 설정되었는지 알려 주지 않습니다.",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

/// What the code needs and where it goes, e.g. "confluent-kafka · consumer.py".
pub fn needs(language: Language, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Uses {} · save as {}", language.client(), language.file_name()),
        Lang::Ko => format!("{} 사용 · {} 파일로 저장", language.client(), language.file_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_in_both_languages() {
        for t in CodeText::ALL {
            let (en, ko) = (t.get(Lang::En), t.get(Lang::Ko));
            assert!(!en.is_empty() && !ko.is_empty(), "{t:?}");
            assert_ne!(en, ko, "{t:?} is not translated");
        }
        assert!(needs(Language::Python, Lang::Ko).contains("consumer.py"));
    }
}
