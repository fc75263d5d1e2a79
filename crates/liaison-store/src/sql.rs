//! A small builder for SQL text with numbered `$N` placeholders and its arguments, used where the
//! shape of a statement depends on the input (filters, multi-row inserts).

use sqlx::any::AnyArguments;
use sqlx::{Arguments, Encode, Type};

/// One bound value. Only the kinds sqlx's `Any` driver carries.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
    OptReal(Option<f64>),
    OptText(Option<String>),
}

/// SQL text plus its arguments, numbered in the order they are pushed.
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    pub fn arguments(&self) -> Result<AnyArguments, sqlx::Error> {
        let mut a = AnyArguments::default();
        for arg in &self.args {
            match arg {
                Arg::Int(v) => add(&mut a, *v)?,
                Arg::Real(v) => add(&mut a, *v)?,
                Arg::Text(v) => add(&mut a, v.clone())?,
                Arg::OptReal(v) => add(&mut a, *v)?,
                Arg::OptText(v) => add(&mut a, v.clone())?,
            }
        }
        Ok(a)
    }
}

fn add<'q, T>(a: &mut AnyArguments, v: T) -> Result<(), sqlx::Error>
where
    T: Encode<'q, sqlx::Any> + Type<sqlx::Any> + 'q,
{
    a.add(v).map_err(sqlx::Error::Encode)
}
