//! Arabic script to Latin letters: a loose romanisation meant to meet the French and English
//! spellings of the region, not a scholarly transliteration (it cannot be reversed, and need not).
//!
//! Arabic writes no short vowels, so «محمد» gives "mhmd"; matching therefore compares Arabic-born
//! words on their consonant skeleton ([`crate::latin::skeleton`]), where "Mohamed" is also "mhmd".
//!
//! | letters | Latin | why |
//! |---|---|---|
//! | ا آ أ ٱ ى | a | alif and its forms; alif maqsura is a final long a |
//! | إ | i | hamza under alif: i |
//! | ء ؤ ئ ع | (nothing) | hamza and ʿayn are written `'`, `ʿ` or nothing in Latin spellings; a word-initial ʿayn is "a" (ʿAbd, ʿAziz) |
//! | ب | b | |
//! | ت ط ة | t, t, a | ta marbuta is the final "-a" of Fatima, Hamza |
//! | ث | th | "Othman"/"Osman": the skeleton meets t |
//! | ج | j | French writes dj: [`crate::latin`] folds dj to j |
//! | ح ه | h | both dropped by the skeleton, as French drops them (Hamadou, Amadou) |
//! | خ | kh | |
//! | د ض | d | |
//! | ذ ظ | dh, z | |
//! | ر | r | |
//! | ز | z | |
//! | س ص | s | |
//! | ش | sh | French ch |
//! | غ | gh | |
//! | ف ڤ | f, v | |
//! | ق ك گ | q, k, g | the Maghreb says g for qaf ("Targui"): the skeleton folds q, k, g together |
//! | ل م ن | l, m, n | |
//! | و | w at the start of a word, else u | "Walid", "Ould" |
//! | ي ی | y at the start of a word, else i | "Yahia", "Targui" |
//! | پ چ ژ | p, ch, j | Persian letters sometimes used for foreign names |
//!
//! Short-vowel marks, shadda, sukun and tatweel are dropped; Arabic-Indic digits become digits.
//! The article «ال» is split off as "al", and so are «وال» ("wa", "al") and «لل» ("li", "al").

/// The Latin letters for one Arabic letter; `initial` is true at the start of a word.
fn letter(c: char, initial: bool) -> &'static str {
    match c {
        'ا' | 'آ' | 'أ' | 'ٱ' | 'ى' => "a",
        'إ' => "i",
        // ʿAbd, ʿAli, ʿAziz: a word-initial ʿayn is written as the vowel that follows it.
        'ع' if initial => "a",
        'ء' | 'ؤ' | 'ئ' | 'ع' => "",
        'ب' => "b",
        'ت' | 'ط' => "t",
        'ة' => "a",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' => "dh",
        'ظ' | 'ز' => "z",
        'ر' => "r",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ڤ' => "v",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' if initial => "w",
        'و' => "u",
        'ي' | 'ی' if initial => "y",
        'ي' | 'ی' => "i",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "j",
        '٠'..='٩' => DIGITS[(c as u32 - '٠' as u32) as usize],
        '۰'..='۹' => DIGITS[(c as u32 - '۰' as u32) as usize],
        // Harakat, shadda, sukun, tatweel and anything else: not a letter of the name.
        _ => "",
    }
}

/// Short-vowel marks, shadda, sukun, Quranic marks and tatweel: not letters of the name.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x064B..=0x065F | 0x0670 | 0x0640 | 0x06D6..=0x06ED)
}

const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// Romanises one Arabic word; the article and the conjunctions glued to it come out as words of
/// their own. Every returned word is non-empty.
pub fn romanise(word: &str) -> Vec<String> {
    let letters: Vec<char> = word.chars().filter(|c| !is_mark(*c)).collect();
    let (prefix, rest): (&[&str], &[char]) = match letters.as_slice() {
        // «وال…»: "and the …"
        ['و', 'ا', 'ل', rest @ ..] if rest.len() >= 2 => (&["wa", "al"], rest),
        // «لل…»: "for the …" (the article's alif is not written after li-)
        ['ل', 'ل', rest @ ..] if rest.len() >= 2 => (&["li", "al"], rest),
        ['ا', 'ل', rest @ ..] if rest.len() >= 2 => (&["al"], rest),
        all => (&[], all),
    };
    let mut out: Vec<String> = prefix.iter().map(|p| (*p).to_owned()).collect();
    let mut latin = String::new();
    for (i, c) in rest.iter().enumerate() {
        latin.push_str(letter(*c, i == 0));
    }
    if !latin.is_empty() {
        out.push(latin);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanises_names_of_the_region() {
        let cases = [
            ("محمد", vec!["mhmd"]),
            ("الطارقي", vec!["al", "tarqi"]),
            ("الكريم", vec!["al", "krim"]),
            ("عبد", vec!["abd"]),
            ("العزيز", vec!["al", "aziz"]),
            ("ولد", vec!["wld"]),
            ("والجهاد", vec!["wa", "al", "jhad"]),
            ("للدعوة", vec!["li", "al", "dua"]),
            ("بلمختار", vec!["blmkhtar"]),
            ("مُحَمَّد", vec!["mhmd"]),
            ("ـ", vec![]),
            ("٢٣", vec!["23"]),
        ];
        for (arabic, latin) in cases {
            assert_eq!(romanise(arabic), latin, "{arabic}");
        }
    }

    #[test]
    fn a_short_word_beginning_with_alif_lam_keeps_it() {
        // «الي» is not article + one letter; too short to split.
        assert_eq!(romanise("الي"), vec!["ali"]);
    }
}
