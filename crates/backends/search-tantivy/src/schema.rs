//! The index schema: which fields exist, how text is analysed, and how a [`SearchDoc`]
//! becomes a tantivy document.

use msme_core::search::{indexed_words, SearchDoc};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, PreTokenizedString, RemoveLongFilter, SimpleTokenizer,
    TextAnalyzer, Token,
};
use tantivy::TantivyDocument;

/// The analyser the text fields name. Documents arrive pre-tokenized by the core's analysis
/// (`msme_core::search::indexed_words`: words and their stems), which both indexes share; the
/// analyser is kept registered because the schema of existing indexes names it.
pub(crate) const TEXT_ANALYZER: &str = "msme_text";

/// The analyser registered under [`TEXT_ANALYZER`].
pub(crate) fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The fields of the schema, by role.
#[derive(Clone, Debug)]
pub(crate) struct Fields {
    /// Listing id, indexed as one term: replaces and removes go by it.
    pub id: Field,
    /// The id as a 128-bit number in two halves (fast): the tie-breaker of every sort.
    pub id_hi: Field,
    pub id_lo: Field,
    pub version: Field,
    /// Free text, with the weight each field's matches count for in relevance.
    pub text: [(Field, f32); 5],
    /// Keyword fields, filtered by term and counted for facets.
    pub industry: Field,
    pub state: Field,
    pub deal_type: Field,
    pub price_band: Field,
    /// Lower-cased city of named listings only.
    pub city: Field,
    pub verified: Field,
    /// Numbers for range filters and sorts (fast fields).
    pub price: Field,
    pub revenue: Field,
    pub margin_bps: Field,
    pub year: Field,
    /// Microseconds since the epoch.
    pub published: Field,
}

impl Fields {
    /// Builds the schema and names its fields.
    pub(crate) fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let keyword = STRING | FAST;
        let number = || NumericOptions::default().set_fast();
        let fields = Fields {
            id: b.add_text_field("id", STRING),
            id_hi: b.add_u64_field("id_hi", FAST),
            id_lo: b.add_u64_field("id_lo", FAST),
            version: b.add_i64_field("version", FAST),
            text: [
                (b.add_text_field("title", words.clone()), 3.0),
                (b.add_text_field("industry_label", words.clone()), 2.0),
                (b.add_text_field("city_text", words.clone()), 2.0),
                (b.add_text_field("state_name", words.clone()), 1.0),
                (b.add_text_field("description", words), 1.0),
            ],
            industry: b.add_text_field("industry", keyword.clone()),
            state: b.add_text_field("state", keyword.clone()),
            deal_type: b.add_text_field("deal_type", keyword.clone()),
            price_band: b.add_text_field("price_band", keyword),
            city: b.add_text_field("city", STRING),
            verified: b.add_bool_field("verified", INDEXED),
            price: b.add_i64_field("price", number()),
            revenue: b.add_i64_field("revenue", number()),
            margin_bps: b.add_i64_field("margin_bps", number()),
            year: b.add_i64_field("year", number()),
            published: b.add_i64_field("published", number()),
        };
        (b.build(), fields)
    }

    /// The tantivy document of a listing. The id must be a UUID (as every listing id is).
    pub(crate) fn document(&self, d: &SearchDoc) -> Result<TantivyDocument, uuid::Error> {
        let id = uuid::Uuid::try_parse(d.id.as_str())?.as_u128();
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, d.id.as_str());
        doc.add_u64(self.id_hi, (id >> 64) as u64);
        doc.add_u64(self.id_lo, id as u64);
        doc.add_i64(self.version, d.version);
        let [title, industry_label, city_text, state_name, description] = self.text;
        let mut words = |field: Field, text: &str| doc.add_pre_tokenized_text(field, terms(text));
        if let Some(named) = &d.named {
            words(title.0, &named.title);
            words(description.0, &named.description);
            words(city_text.0, &named.city);
        }
        words(industry_label.0, d.industry.label);
        words(state_name.0, d.state.name);
        if let Some(named) = &d.named {
            doc.add_text(self.city, named.city.trim().to_ascii_lowercase());
        }
        doc.add_text(self.industry, d.industry.id);
        doc.add_text(self.state, d.state.code);
        doc.add_text(self.deal_type, d.deal_type.as_str());
        doc.add_text(self.price_band, d.price_band().as_str());
        doc.add_bool(self.verified, d.verified);
        doc.add_i64(self.price, d.asking_price.get());
        if let Some(r) = d.revenue {
            doc.add_i64(self.revenue, r.get());
        }
        if let Some(m) = d.ebitda_margin_bps {
            doc.add_i64(self.margin_bps, m);
        }
        doc.add_i64(self.year, i64::from(d.year_established));
        if let Some(at) = d.published_at {
            doc.add_i64(self.published, at.timestamp_micros());
        }
        Ok(doc)
    }
}

/// A text as the tokens it is indexed under: each word at its position, and its stem at the
/// same position.
fn terms(text: &str) -> PreTokenizedString {
    let mut tokens = Vec::new();
    for (position, w) in indexed_words(text).into_iter().enumerate() {
        let token = |text: String| Token {
            position,
            text,
            ..Token::default()
        };
        tokens.push(token(w.word));
        tokens.extend(w.stem.map(token));
    }
    PreTokenizedString {
        text: text.to_owned(),
        tokens,
    }
}

/// Joins the two halves of an id back into its canonical text.
pub(crate) fn id_text(hi: u64, lo: u64) -> String {
    uuid::Uuid::from_u128((u128::from(hi) << 64) | u128::from(lo)).to_string()
}
