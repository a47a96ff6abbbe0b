//! Which language a request is written in (detected by the `whatlang` crate), and the language
//! codes a rule file may declare it covers. An unassigned request in a language the rules do not
//! cover says so, instead of looking like a request about nothing.

use serde::Serialize;
use whatlang::Lang;

/// A language: its ISO 639-1 code (`ru`) and English name (`Russian`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Language {
    pub code: &'static str,
    pub name: &'static str,
}

/// What the detector found about a request's language, and whether the rule file covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The language, when the detector is confident of it (long enough text).
    pub language: Option<Language>,
    /// The script most of the text is written in (`Latin`, `Cyrillic`, `Han` ...).
    pub script: &'static str,
    /// Whether the rule file's `languages:` lists the language or, when the language is
    /// uncertain, a language written in this script.
    pub covered: bool,
}

impl Detected {
    /// The note an unassigned verdict carries when its language is not covered, else `None`.
    pub fn note(&self) -> Option<String> {
        if self.covered {
            return None;
        }
        Some(match self.language {
            Some(language) => {
                format!("written in {} ({}), a language the rules do not cover", language.name, language.code)
            }
            None => format!("written in {} script, which none of the rules' languages use", self.script),
        })
    }
}

/// ISO 639-1 codes of the languages `whatlang` tells apart (its own codes are ISO 639-3).
const CODES: [(Lang, &str); 70] = [
    (Lang::Afr, "af"),
    (Lang::Aka, "ak"),
    (Lang::Amh, "am"),
    (Lang::Ara, "ar"),
    (Lang::Aze, "az"),
    (Lang::Bel, "be"),
    (Lang::Ben, "bn"),
    (Lang::Bul, "bg"),
    (Lang::Cat, "ca"),
    (Lang::Ces, "cs"),
    (Lang::Cmn, "zh"),
    (Lang::Cym, "cy"),
    (Lang::Dan, "da"),
    (Lang::Deu, "de"),
    (Lang::Ell, "el"),
    (Lang::Eng, "en"),
    (Lang::Epo, "eo"),
    (Lang::Est, "et"),
    (Lang::Fin, "fi"),
    (Lang::Fra, "fr"),
    (Lang::Guj, "gu"),
    (Lang::Heb, "he"),
    (Lang::Hin, "hi"),
    (Lang::Hrv, "hr"),
    (Lang::Hun, "hu"),
    (Lang::Hye, "hy"),
    (Lang::Ind, "id"),
    (Lang::Ita, "it"),
    (Lang::Jav, "jv"),
    (Lang::Jpn, "ja"),
    (Lang::Kan, "kn"),
    (Lang::Kat, "ka"),
    (Lang::Khm, "km"),
    (Lang::Kor, "ko"),
    (Lang::Lat, "la"),
    (Lang::Lav, "lv"),
    (Lang::Lit, "lt"),
    (Lang::Mal, "ml"),
    (Lang::Mar, "mr"),
    (Lang::Mkd, "mk"),
    (Lang::Mya, "my"),
    (Lang::Nep, "ne"),
    (Lang::Nld, "nl"),
    (Lang::Nob, "nb"),
    (Lang::Ori, "or"),
    (Lang::Pan, "pa"),
    (Lang::Pes, "fa"),
    (Lang::Pol, "pl"),
    (Lang::Por, "pt"),
    (Lang::Ron, "ro"),
    (Lang::Rus, "ru"),
    (Lang::Sin, "si"),
    (Lang::Slk, "sk"),
    (Lang::Slv, "sl"),
    (Lang::Sna, "sn"),
    (Lang::Spa, "es"),
    (Lang::Srp, "sr"),
    (Lang::Swe, "sv"),
    (Lang::Tam, "ta"),
    (Lang::Tel, "te"),
    (Lang::Tgl, "tl"),
    (Lang::Tha, "th"),
    (Lang::Tuk, "tk"),
    (Lang::Tur, "tr"),
    (Lang::Ukr, "uk"),
    (Lang::Urd, "ur"),
    (Lang::Uzb, "uz"),
    (Lang::Vie, "vi"),
    (Lang::Yid, "yi"),
    (Lang::Zul, "zu"),
];

fn language(lang: Lang) -> Option<Language> {
    CODES.iter().find(|(l, _)| *l == lang).map(|&(lang, code)| Language { code, name: lang.eng_name() })
}

/// The language with this code: ISO 639-1 (`pt`) or ISO 639-3 (`por`), any case. `None` for a
/// code no detector here can recognise, so a rule file cannot declare a language by mistake.
pub fn from_code(code: &str) -> Option<Language> {
    let code = code.trim().to_ascii_lowercase();
    language(lang(&code).or_else(|| Lang::from_code(code.as_str()))?)
}

/// Every code [`from_code`] accepts, two-letter form, sorted: for error messages and the schema.
pub fn known_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = CODES.iter().map(|&(_, code)| code).collect();
    codes.sort_unstable();
    codes
}

/// The language of `text` when the detector is confident of it, else `None` (short or mixed
/// text). Costs microseconds per request: callers run it only when its answer is shown (on
/// unassigned verdicts).
pub fn detect(text: &str) -> Option<Language> {
    whatlang::detect(text).filter(whatlang::Info::is_reliable).and_then(|info| language(info.lang()))
}

/// Detect `text`'s language and script and whether `covered` (ISO 639-1 codes) includes it. Short
/// text often leaves the language uncertain (a short Russian sentence may score as Bulgarian);
/// its script is still certain, and a script none of the covered languages use is not covered.
pub fn detect_coverage(text: &str, covered: &[String]) -> Option<Detected> {
    if plainly_english(text) {
        let english = language(Lang::Eng);
        let covered = covered.iter().any(|code| code == "en");
        return Some(Detected { language: english, script: "Latin", covered });
    }
    let info = whatlang::detect(text)?;
    let language = if info.is_reliable() { language(info.lang()) } else { None };
    let is_covered = match language {
        Some(language) => covered.iter().any(|code| code == language.code),
        None => {
            covered.iter().filter_map(|code| lang(code)).any(|lang| info.script().langs().contains(&lang))
        }
    };
    // `Script::all()` is static, so its names are too.
    let script = match info.script() {
        whatlang::Script::Mandarin => "Han",
        script => whatlang::Script::all().iter().find(|s| **s == script).map_or("unknown", |s| s.name()),
    };
    Some(Detected { language, script, covered: is_covered })
}

/// Whether `text` is plainly English: Latin letters without accents (at most one letter in 50
/// may be another), at least six words, and at least two of them, one in ten, English function
/// words that are not words of their own in the other Latin-script languages the detector knows
/// (no `is`, `to`, `in`, `a`, `we`, `my`, `was`, `will`, `also`). The detector weighs every language's
/// profile on each call, a few hundred µs whatever the text's length (226 µs for a 200-byte
/// Portuguese request, `cargo bench --bench classify -- language`); most unassigned requests are
/// English, and for them this answers the same in a few hundred nanoseconds. Text it does not
/// call English goes to the detector as before.
fn plainly_english(text: &str) -> bool {
    let (mut ascii_letters, mut other_letters) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            ascii_letters += 1;
        } else if c.is_alphabetic() {
            other_letters += 1;
        }
    }
    if ascii_letters == 0 || other_letters * 50 > ascii_letters + other_letters {
        return false;
    }
    let (mut words, mut markers) = (0usize, 0usize);
    let is_word_byte = |b: u8| b.is_ascii_alphabetic() || b == b'\'';
    for word in text.as_bytes().split(|&b| !is_word_byte(b)).filter(|w| w.iter().any(u8::is_ascii_alphabetic))
    {
        words += 1;
        if is_english_marker(word) {
            markers += 1;
        }
    }
    words >= 6 && markers >= 2 && markers * 10 >= words
}

/// An English function word (see [`plainly_english`]), compared without case.
fn is_english_marker(word: &[u8]) -> bool {
    let mut lower = [0u8; 7];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    for (to, from) in lower.iter_mut().zip(word) {
        *to = from.to_ascii_lowercase();
    }
    const MARKERS: [&[u8]; 58] = [
        b"the", b"and", b"you", b"your", b"with", b"this", b"that", b"have", b"not", b"how", b"what",
        b"would", b"should", b"could", b"there", b"their", b"which", b"from", b"any", b"it", b"are", b"be",
        b"our", b"can", b"when", b"does", b"about", b"been", b"they", b"but", b"if", b"or", b"were", b"i'm",
        b"don't", b"it's", b"can't", b"doesn't", b"i've", b"we're", b"you're", b"anyone", b"someone",
        b"please", b"thanks", b"know", b"need", b"want", b"using", b"some", b"into", b"than", b"then",
        b"only", b"other", b"here", b"get", b"like",
    ];
    MARKERS.contains(&&*lower)
}

/// The detector's language for a two-letter code.
fn lang(code: &str) -> Option<Lang> {
    CODES.iter().find(|(_, short)| *short == code).map(|&(lang, _)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detectable_language_has_a_two_letter_code() {
        assert_eq!(CODES.len(), Lang::all().len());
        for lang in Lang::all() {
            assert!(language(*lang).is_some(), "{lang:?}");
        }
        let codes = known_codes();
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(codes, unique, "no code twice");
    }

    #[test]
    fn codes_are_read_in_either_iso_form_and_any_case() {
        assert_eq!(from_code("pt"), Some(Language { code: "pt", name: "Portuguese" }));
        assert_eq!(from_code("POR").map(|l| l.code), Some("pt"));
        assert_eq!(from_code(" zh ").map(|l| l.code), Some("zh"));
        assert_eq!(from_code("cmn").map(|l| l.code), Some("zh"));
        assert_eq!(from_code("xx"), None);
        assert_eq!(from_code("klingon"), None);
    }

    #[test]
    fn detects_the_languages_of_whole_sentences() {
        let code = |text: &str| detect(text).map(|l| l.code);
        assert_eq!(code("설치 중에 오류가 발생합니다. 어떻게 해결하나요?"), Some("ko"));
        assert_eq!(code("インストール中にエラーが発生しました。どうすればいいですか?"), Some("ja"));
        assert_eq!(code("Could you tell me where the nearest train station is, please?"), Some("en"));
    }

    #[test]
    fn says_nothing_when_unsure() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 !!!"), None);
        assert_eq!(detect("hello"), None);
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|code| code.to_string()).collect()
    }

    #[test]
    fn an_uncertain_language_is_judged_by_its_script() {
        // Too short for the detector to tell Russian from Bulgarian, but surely Cyrillic.
        let text = "Подскажите, пожалуйста, почему сборка проекта падает после обновления?";
        let detected = detect_coverage(text, &codes(&["en", "es"])).expect("a script");
        assert_eq!((detected.language, detected.script, detected.covered), (None, "Cyrillic", false));
        assert_eq!(
            detected.note().as_deref(),
            Some("written in Cyrillic script, which none of the rules' languages use")
        );
        assert!(detect_coverage(text, &codes(&["en", "uk"])).expect("a script").covered);
        // Short Latin text is covered by any language written in Latin script.
        assert!(detect_coverage("hello", &codes(&["en"])).expect("a script").covered);
    }

    #[test]
    fn coverage_compares_two_letter_codes_and_only_uncovered_languages_get_a_note() {
        let covered = codes(&["en", "es"]);
        let ko =
            detect_coverage("설치 중에 오류가 발생합니다. 어떻게 해결하나요?", &covered).expect("detected");
        assert!(!ko.covered);
        assert_eq!(ko.note().as_deref(), Some("written in Korean (ko), a language the rules do not cover"));
        let en = detect_coverage("Could you tell me where the nearest train station is, please?", &covered)
            .expect("detected");
        assert!(en.covered);
        assert_eq!(en.note(), None);
        let ja =
            detect_coverage("インストール中にエラーが発生しました。どうすればいいですか?", &codes(&["ja"]))
                .expect("detected");
        assert_eq!((ja.language.map(|l| l.code), ja.covered), (Some("ja"), true));
    }

    #[test]
    fn plainly_english_text_skips_the_detector_and_says_english() {
        for text in [
            "Could you tell me where the nearest train station is, please?",
            "hey all, does anyone know if the new release works with our old config? thanks",
            "I'm trying to get this running but it doesn't start and I have no idea what's wrong",
        ] {
            assert!(plainly_english(text), "{text}");
            let detected = detect_coverage(text, &codes(&["en"])).expect("detected");
            assert_eq!((detected.language.map(|l| l.code), detected.covered), (Some("en"), true), "{text}");
        }
        let spanish_only =
            detect_coverage("Could you tell me where the station is, please?", &codes(&["es"]));
        assert_eq!(spanish_only.map(|d| d.covered), Some(false));
    }

    #[test]
    fn other_latin_languages_are_not_taken_for_english() {
        // Our own sentences, accents left out where people often leave them out.
        for text in [
            "Hallo allemaal, we hebben een vraag over de installatie. Het werkt niet op mijn laptop, is dat bekend?",
            "Ciao a tutti, qualcuno sa come configurare il server? Non riesco a farlo partire e non capisco perche.",
            "Czesc, mam problem z instalacja. To nie dziala na moim komputerze, czy ktos wie co robic?",
            "Halo semua, saya tidak bisa menginstal paketnya. Apakah ada yang tahu cara memperbaikinya di Windows?",
            "Hola a todos, como puedo instalar el paquete en Windows? Me sale un error y no se que hacer.",
            "Ola pessoal, alguem sabe como configurar o servidor? Nao consigo fazer funcionar no meu computador.",
            "Bonjour a tous, est-ce que quelqu'un sait comment installer le paquet sous Windows ? Merci beaucoup.",
            "Hallo zusammen, ich habe ein Problem mit der Installation. Kann mir jemand sagen, was ich tun soll?",
            "Hej alla, vet ni hur man installerar paketet? Det fungerar inte pa min dator och jag vet inte varfor.",
        ] {
            assert!(!plainly_english(text), "{text}");
        }
        // Too few words, or letters of another script, go to the detector.
        assert!(!plainly_english("the app and the docs"));
        assert!(!plainly_english(
            "How do I fix this? Подскажите, пожалуйста, почему сборка проекта падает после обновления?"
        ));
    }
}
