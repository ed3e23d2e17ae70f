//! Renders a checked `[[params]]` model: the struct, `new` and setters, `validate()` and
//! `params()` (see [`super::params`] for the format).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::params::{Charset, Checked, Lit, ParamEncoding, ParamField, ParamsSpec};
use super::render::{builtin_type, doc_attrs, ident};
use super::spec::Builtin;

const CORE: &str = "::pos_client_core::validate";

fn core() -> TokenStream {
    CORE.parse().unwrap_or_default()
}

fn int_lit(value: i128) -> TokenStream {
    let lit = Literal::i128_unsuffixed(value.abs());
    if value < 0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

fn decimal_expr(mantissa: i128, scale: u32) -> TokenStream {
    let m = int_lit(mantissa);
    let s = Literal::u32_unsuffixed(scale);
    quote!(::pos_client_core::rust_decimal::Decimal::from_i128_with_scale(#m, #s))
}

/// The Rust expression of a literal for a field of type `builtin` (`None`: an enum `ty`).
fn lit_expr(lit: &Lit, builtin: Option<Builtin>, ty: &str) -> TokenStream {
    match lit {
        Lit::Int(i) => int_lit(*i),
        Lit::Decimal(m, s) => {
            let d = decimal_expr(*m, *s);
            if builtin == Some(Builtin::Money) {
                quote!(::pos_client_core::Money::new(#d))
            } else {
                d
            }
        }
        Lit::Bool(b) => quote!(#b),
        Lit::Text(t) => quote!(::std::string::String::from(#t)),
        Lit::Variant(v) => {
            let en = ident(ty);
            let v = ident(v);
            quote!(#en::#v)
        }
    }
}

/// A bound for a number rule, as a `Decimal` for money (rules compare the amount).
pub(crate) fn bound_expr(lit: &Lit, builtin: Option<Builtin>) -> TokenStream {
    match lit {
        Lit::Decimal(m, s) => decimal_expr(*m, *s),
        Lit::Int(i) if matches!(builtin, Some(Builtin::Decimal | Builtin::Money)) => {
            decimal_expr(*i, 0)
        }
        other => lit_expr(other, builtin, ""),
    }
}

fn base_type(field: &ParamField, checked: &Checked) -> TokenStream {
    match checked.builtin {
        Some(b) => builtin_type(b),
        None => {
            let id = ident(field.ty.get_ref());
            quote!(#id)
        }
    }
}

/// The rules of a field in words, for its rustdoc.
fn rules_text(field: &ParamField, checked: &Checked) -> Vec<String> {
    let mut rules = Vec::new();
    if field.not_blank.as_ref().is_some_and(|v| *v.get_ref()) {
        rules.push("not blank".to_owned());
    }
    if let Some(n) = &field.min_len {
        rules.push(format!("at least {}", characters(*n.get_ref())));
    }
    if let Some(n) = &field.max_len {
        rules.push(format!("at most {}", characters(*n.get_ref())));
    }
    if checked.builtin == Some(Builtin::String) {
        match field
            .charset
            .as_ref()
            .map_or(Charset::Text, |c| *c.get_ref())
        {
            Charset::Text => rules.push("no control characters".to_owned()),
            Charset::Code => rules.push("no spaces or control characters".to_owned()),
            Charset::PathSegment => {
                rules.push("safe in a URL path (no `/ ? # %`, no `..`)".to_owned());
            }
            Charset::Multiline => {
                rules.push("no control characters but line breaks and tabs".to_owned());
            }
            Charset::Any => {}
        }
    }
    let show = |lit: &Lit| match lit {
        Lit::Int(i) => i.to_string(),
        Lit::Decimal(m, s) => pos_text(*m, *s),
        _ => String::new(),
    };
    if let Some(lo) = &checked.min {
        rules.push(format!("at least {}", show(lo)));
    }
    if let Some(hi) = &checked.max {
        rules.push(format!("at most {}", show(hi)));
    }
    if field.positive.as_ref().is_some_and(|v| *v.get_ref()) {
        rules.push("greater than 0".to_owned());
    }
    if let Some(s) = &field.scale {
        rules.push(format!("at most {} decimal places", s.get_ref()));
    }
    if let Some(other) = &field.not_after {
        rules.push(format!("not after `{}`", other.get_ref()));
    }
    rules
}

fn characters(n: u32) -> String {
    if n == 1 {
        "1 character".to_owned()
    } else {
        format!("{n} characters")
    }
}

/// `1250, 2` as `12.50`.
fn pos_text(mantissa: i128, scale: u32) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let scale = scale as usize;
    let sign = if mantissa < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

/// The field's doc: the spec text, then the wire name, the encoding and the rules.
fn field_doc(field: &ParamField, checked: &Checked) -> TokenStream {
    let mut doc = field.doc.get_ref().trim().to_owned();
    let mut facts = vec![format!("Wire name: `{}`.", field.wire_name())];
    if let Some(e) = field.encoding_kind() {
        facts.push(format!("Sent as `{}`.", e.spec_name()));
    }
    let rules = rules_text(field, checked);
    if !rules.is_empty() {
        facts.push(format!("Rules: {}.", rules.join(", ")));
    }
    doc.push_str("\n\n");
    doc.push_str(&facts.join(" "));
    doc_attrs(&doc)
}

/// A field's value in generated code: `self.x` (owned place) or `value` (a `&T` binding).
struct Val {
    place: TokenStream,
    by_ref: bool,
}

impl Val {
    fn of(field: &ParamField) -> Val {
        if field.is_optional() {
            Val {
                place: quote!(value),
                by_ref: true,
            }
        } else {
            let id = ident(field.name.get_ref());
            Val {
                place: quote!(self.#id),
                by_ref: false,
            }
        }
    }

    /// A `&T` expression.
    fn r(&self) -> TokenStream {
        let place = &self.place;
        if self.by_ref {
            quote!(#place)
        } else {
            quote!(&#place)
        }
    }

    /// A `T` expression (for `Copy` types).
    fn owned(&self) -> TokenStream {
        let place = &self.place;
        if self.by_ref {
            quote!(*#place)
        } else {
            quote!(#place)
        }
    }
}

/// The checks of one value.
fn rule_calls(field: &ParamField, checked: &Checked, val: &Val) -> Vec<TokenStream> {
    let value = &val.r();
    let place = &val.place;
    let core = core();
    let wire = field.wire_name();
    let mut calls = Vec::new();
    let builtin = checked.builtin;
    if builtin == Some(Builtin::String) {
        if field.not_blank.as_ref().is_some_and(|v| *v.get_ref()) {
            calls.push(quote!(#core::not_blank(#wire, #value)?;));
        }
        if let Some(n) = &field.min_len {
            let n = Literal::usize_unsuffixed(*n.get_ref() as usize);
            calls.push(quote!(#core::min_chars(#wire, #value, #n)?;));
        }
        if let Some(n) = &field.max_len {
            let n = Literal::usize_unsuffixed(*n.get_ref() as usize);
            calls.push(quote!(#core::max_chars(#wire, #value, #n)?;));
        }
        let charset = field
            .charset
            .as_ref()
            .map_or(Charset::Text, |c| *c.get_ref());
        if let Some(rule) = charset.rule() {
            let rule = ident(rule);
            calls.push(quote!(#core::#rule(#wire, #value)?;));
        }
    }
    // Money rules compare the amount.
    let (number, owned) = if builtin == Some(Builtin::Money) {
        (quote!(&#place.amount()), quote!(#place.amount()))
    } else {
        (value.clone(), val.owned())
    };
    if let Some(lo) = &checked.min {
        let lo = bound_expr(lo, builtin);
        calls.push(quote!(#core::at_least(#wire, #number, &#lo)?;));
    }
    if let Some(hi) = &checked.max {
        let hi = bound_expr(hi, builtin);
        calls.push(quote!(#core::at_most(#wire, #number, &#hi)?;));
    }
    if field.positive.as_ref().is_some_and(|v| *v.get_ref()) {
        calls.push(quote!(#core::positive(#wire, #number)?;));
    }
    if let Some(s) = &field.scale {
        let s = Literal::u32_unsuffixed(*s.get_ref());
        calls.push(quote!(#core::max_scale(#wire, #owned, #s)?;));
    }
    calls
}

/// The text of one value.
fn text_expr(field: &ParamField, checked: &Checked, val: &Val) -> TokenStream {
    let core = core();
    let value = &val.place;
    let owned = val.owned();
    let encoding = field.encoding_kind();
    let decimal = |d: TokenStream| match encoding {
        Some(ParamEncoding::DecimalComma) => {
            quote!(#core::decimal_text(#d, #core::DecimalSeparator::Comma))
        }
        Some(ParamEncoding::DecimalStyle) => quote!(style.decimal_text(#d)),
        _ => quote!(#d.to_string()),
    };
    let bool_text =
        |yes: &str, no: &str| quote!(::std::string::String::from(if #owned { #yes } else { #no }));
    match checked.builtin {
        Some(Builtin::String) => quote!(#value.clone()),
        Some(Builtin::Decimal) => decimal(owned.clone()),
        Some(Builtin::Money) => decimal(quote!(#value.amount())),
        Some(Builtin::Bool) => match encoding {
            Some(ParamEncoding::YesNo) => bool_text("Y", "N"),
            Some(ParamEncoding::OneZero) => bool_text("1", "0"),
            _ => bool_text("+", "-"),
        },
        Some(Builtin::Date) => match encoding {
            Some(ParamEncoding::DottedDate) => {
                quote!(#value.format(::pos_client_core::encoding::DOTTED_DATE).to_string())
            }
            _ => quote!(#value.format("%Y-%m-%d").to_string()),
        },
        Some(Builtin::Datetime) => match encoding {
            Some(ParamEncoding::DottedDatetime) => {
                quote!(#value.format(::pos_client_core::encoding::DOTTED_DATE_TIME).to_string())
            }
            Some(ParamEncoding::SqlDatetime) => {
                quote!(#value.format(::pos_client_core::encoding::SQL_DATE_TIME).to_string())
            }
            _ => quote!(#value.format("%Y-%m-%dT%H:%M:%S").to_string()),
        },
        Some(Builtin::Timestamp) => quote!(#value.timestamp().to_string()),
        None => quote!(#value.as_wire().to_owned()),
        Some(_) => quote!(#value.to_string()),
    }
}

/// Renders one `[[params]]`.
pub fn render_params(params: &ParamsSpec, checked: &[Checked]) -> TokenStream {
    let name = ident(params.name.get_ref());
    let name_str = params.name.get_ref().as_str();
    let doc = doc_attrs(params.doc.get_ref());
    let fields: Vec<(&ParamField, &Checked)> = params.field.iter().zip(checked).collect();
    let core = core();
    let sensitive = fields.iter().any(|(f, _)| f.is_sensitive());

    // The struct.
    let struct_fields = fields.iter().map(|(f, c)| {
        let doc = field_doc(f, c);
        let id = ident(f.name.get_ref());
        let base = base_type(f, c);
        let ty = if f.is_optional() {
            quote!(::std::option::Option<#base>)
        } else {
            base
        };
        quote!(#doc pub #id: #ty,)
    });
    let derive_debug = if sensitive { quote!() } else { quote!(Debug,) };

    // `new` and the setters.
    let is_string = |c: &Checked| c.builtin == Some(Builtin::String);
    let args = fields.iter().filter(|(f, _)| f.in_new()).map(|(f, c)| {
        let id = ident(f.name.get_ref());
        if is_string(c) {
            quote!(#id: impl ::std::convert::Into<::std::string::String>)
        } else {
            let ty = base_type(f, c);
            quote!(#id: #ty)
        }
    });
    let arg_count = fields.iter().filter(|(f, _)| f.in_new()).count();
    let inits = fields.iter().map(|(f, c)| {
        let id = ident(f.name.get_ref());
        let value = if f.is_optional() {
            quote!(::std::option::Option::None)
        } else if f.is_flag() {
            quote!(false)
        } else if let Some(d) = &c.default {
            lit_expr(d, c.builtin, f.ty.get_ref())
        } else if is_string(c) {
            quote!(#id.into())
        } else {
            return quote!(#id,);
        };
        quote!(#id: #value,)
    });
    let allow_many = if arg_count > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let setters = fields.iter().filter(|(f, _)| !f.in_new()).map(|(f, c)| {
        let id = ident(f.name.get_ref());
        let first = f.doc.get_ref().trim().lines().next().unwrap_or_default();
        let doc = format!(" Sets `{}`: {first}", f.wire_name());
        let (arg, value) = if is_string(c) {
            (
                quote!(impl ::std::convert::Into<::std::string::String>),
                quote!(#id.into()),
            )
        } else {
            (base_type(f, c), quote!(#id))
        };
        let value = if f.is_optional() {
            quote!(::std::option::Option::Some(#value))
        } else {
            value
        };
        quote! {
            #[doc = #doc]
            pub fn #id(mut self, #id: #arg) -> Self {
                self.#id = #value;
                self
            }
        }
    });
    let default_impl = if arg_count == 0 {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };

    // validate().
    let mut checks = Vec::new();
    for (f, c) in &fields {
        let id = ident(f.name.get_ref());
        if f.is_optional() {
            let calls = rule_calls(f, c, &Val::of(f));
            if !calls.is_empty() {
                checks.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#id {
                        #(#calls)*
                    }
                });
            }
        } else {
            checks.extend(rule_calls(f, c, &Val::of(f)));
        }
        if let Some(other) = &f.not_after
            && let Some(target) = params
                .field
                .iter()
                .find(|t| t.name.get_ref() == other.get_ref())
        {
            let as_option = |field: &ParamField| {
                let id = ident(field.name.get_ref());
                if field.is_optional() {
                    quote!(self.#id.as_ref())
                } else {
                    quote!(::std::option::Option::Some(&self.#id))
                }
            };
            let (a, b) = (as_option(f), as_option(target));
            let (wa, wb) = (f.wire_name(), target.wire_name());
            checks.push(quote!(#core::not_after(#wa, #a, #wb, #b)?;));
        }
    }
    for group in &params.exactly_one_of {
        let members: Vec<&ParamField> = group
            .get_ref()
            .iter()
            .filter_map(|m| {
                params
                    .field
                    .iter()
                    .find(|f| f.name.get_ref() == m.get_ref())
            })
            .collect();
        let wires = members.iter().map(|f| f.wire_name());
        let given = members.iter().map(|f| {
            let id = ident(f.name.get_ref());
            quote!(self.#id.is_some())
        });
        checks.push(quote!(#core::exactly_one(&[#(#wires),*], &[#(#given),*])?;));
    }

    // params().
    let uses_style = fields
        .iter()
        .any(|(f, _)| f.encoding_kind() == Some(ParamEncoding::DecimalStyle));
    let touch_style = if uses_style {
        quote!()
    } else {
        quote!(let _ = style;)
    };
    let pushes = fields.iter().map(|(f, c)| {
        let id = ident(f.name.get_ref());
        let wire = f.wire_name();
        if f.is_flag() {
            return quote! {
                if self.#id {
                    params.push((#wire, ::pos_client_core::Param::Flag));
                }
            };
        }
        let text = text_expr(f, c, &Val::of(f));
        let param = if f.is_sensitive() {
            quote!(::pos_client_core::Param::Secret(::pos_client_core::secrecy::SecretString::from(#text)))
        } else {
            quote!(::pos_client_core::Param::Plain(#text))
        };
        if f.is_optional() {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#id {
                    params.push((#wire, #param));
                }
            }
        } else {
            quote!(params.push((#wire, #param));)
        }
    });
    let capacity = Literal::usize_unsuffixed(fields.len());

    let debug_impl = if sensitive {
        let entries = fields.iter().map(|(f, _)| {
            let fname = f.name.get_ref().as_str();
            let id = ident(fname);
            if f.is_sensitive() {
                quote!(.field(#fname, &::std::format_args!("***")))
            } else {
                quote!(.field(#fname, &self.#id))
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name_str)
                        #(#entries)*
                        .finish()
                }
            }
        }
    } else {
        quote!()
    };

    let new_doc = if arg_count == 0 {
        format!(" An empty `{name_str}`: optional parameters unset, the others at their default.")
    } else {
        format!(
            " `{name_str}` with its required parameters; optional ones unset, the others at their default."
        )
    };
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq)]
        #[must_use]
        pub struct #name {
            #(#struct_fields)*
        }

        impl #name {
            #[doc = #new_doc]
            #allow_many
            pub fn new(#(#args),*) -> Self {
                #name {
                    #(#inits)*
                }
            }

            #(#setters)*

            /// Checks the documented rules; call it before sending (nothing is sent when it fails).
            pub fn validate<C: ::pos_client_core::VendorCode>(
                &self,
            ) -> ::std::result::Result<(), ::pos_client_core::Error<C>> {
                #(#checks)*
                ::std::result::Result::Ok(())
            }

            /// The parameters in spec order, each written as the vendor expects; optional ones
            /// that are unset and flags that are false are left out.
            #[allow(
                clippy::vec_init_then_push,
                reason = "the same shape for every model; most push conditionally"
            )]
            pub fn params(
                &self,
                style: &#core::ParamStyle,
            ) -> ::std::vec::Vec<(&'static str, ::pos_client_core::Param)> {
                #touch_style
                let mut params = ::std::vec::Vec::with_capacity(#capacity);
                #(#pushes)*
                params
            }
        }

        #default_impl
        #debug_impl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_literals_print_with_their_scale() {
        assert_eq!(pos_text(1250, 2), "12.50");
        assert_eq!(pos_text(-5, 1), "-0.5");
        assert_eq!(pos_text(7, 0), "7");
        assert_eq!(pos_text(5, 3), "0.005");
    }
}
