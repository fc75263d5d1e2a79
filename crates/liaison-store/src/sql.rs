//! A small builder for SQL text with placeholders and its arguments, used where the shape of a
//! statement depends on the input (filters, multi-row inserts).
//!
//! PostgreSQL gets numbered `$N` placeholders. SQLite gets anonymous `?` ones, bound in order:
//! sqlx resolves each named SQLite parameter with `sqlite3_bind_parameter_name`, a linear walk,
//! which made binding a 8,000-parameter multi-row insert quadratic (measured: 63% of an import's
//! time).

use sqlx::any::AnyArguments;
use sqlx::{Arguments, Encode, Type};

use crate::Backend;

/// One bound value. Only the kinds sqlx's `Any` driver carries.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
    OptReal(Option<f64>),
    OptText(Option<String>),
    OptInt(Option<i64>),
}

/// SQL text plus its arguments, numbered in the order they are pushed.
#[derive(Debug)]
pub struct Sql {
    pub text: String,
    args: Vec<Arg>,
    backend: Backend,
}

impl Sql {
    pub fn new(backend: Backend, text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: Vec::new(),
            backend,
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        // sqlx 0.9's `Any` driver sends a `None` f64 to PostgreSQL as a *float4* NULL, so a
        // cached statement first run with a NULL point is prepared with a float4 parameter, and
        // the next run with a point (8 bytes) fails: "incorrect binary data format in bind
        // parameter". On PostgreSQL an optional real therefore travels as text and is cast
        // back: its type is then the same whether it is NULL or not, and Rust's shortest
        // round-trip formatting read by PostgreSQL's correctly rounded parser loses nothing.
        // SQLite keeps binding reals as reals.
        if let (Backend::Postgres, Arg::OptReal(v)) = (self.backend, &arg) {
            let text = v.map(|x| format!("{x:?}"));
            self.args.push(Arg::OptText(text));
            self.text.push_str("CAST($");
            self.text.push_str(&self.args.len().to_string());
            self.text.push_str(" AS DOUBLE PRECISION)");
            return self;
        }
        self.args.push(arg);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.args.len().to_string());
            }
        }
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
                Arg::OptInt(v) => add(&mut a, *v)?,
            }
        }
        Ok(a)
    }
}

impl Sql {
    /// The text and arguments, moving the bound strings instead of copying them (for large
    /// multi-row inserts).
    pub fn into_parts(self) -> Result<(String, AnyArguments), sqlx::Error> {
        let mut a = AnyArguments::default();
        for arg in self.args {
            match arg {
                Arg::Int(v) => add(&mut a, v)?,
                Arg::Real(v) => add(&mut a, v)?,
                Arg::Text(v) => add(&mut a, v)?,
                Arg::OptReal(v) => add(&mut a, v)?,
                Arg::OptText(v) => add(&mut a, v)?,
                Arg::OptInt(v) => add(&mut a, v)?,
            }
        }
        Ok((self.text, a))
    }
}

fn add<'q, T>(a: &mut AnyArguments, v: T) -> Result<(), sqlx::Error>
where
    T: Encode<'q, sqlx::Any> + Type<sqlx::Any> + 'q,
{
    a.add(v).map_err(sqlx::Error::Encode)
}
