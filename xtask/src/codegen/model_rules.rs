//! Field rules of request models (`[[model]]` with `direction = "request"` or `"both"`): the
//! generated `check_fields()` that the client runs before anything is sent.
//!
//! ```toml
//! field = [
//!   { name = "reference_no", type = "string", not_blank = true, charset = "text", doc = "…" },
//!   { name = "qty", type = "u32", positive = true, doc = "…" },
//!   { name = "total", type = "money", max_digits = 15, doc = "…" },
//!   { name = "items", type = "SaleItem", list = "array", min_items = 1, check_items = true, doc = "…" },
//! ]
//! ```
//!
//! Rules: `not_blank`, `max_len` (characters) and `charset` (`text`, `code`, `path_segment`,
//! `multiline`, `any`) for strings; `positive`, `min` and `max` (inclusive; decimals as strings)
//! for integers, decimals and money; `scale` (decimal places) and `max_digits` (significant
//! digits, what a vendor's `Double` keeps exactly) for decimals and money; `four_digit_year` for
//! dates and datetimes; `min_items` for lists, and `check_items` for a list of models whose own
//! rules then run with bracketed names (`items[0][code]`, as PHP form bodies name them). An
//! optional field is checked when given.
//!
//! Lists are checked first, then the other fields in spec order: when an element's amount is
//! out of range, a total computed from it usually is too, and the element is the cause to name.

use proc_macro2::TokenStream;
use quote::quote;

use super::params::Lit;
use super::render::ident;
use super::render_params::bound_expr;
use super::spec::{Builtin, Field, Model, TypeRef};

fn is_set(flag: &Option<toml::Spanned<bool>>) -> bool {
    flag.as_ref().is_some_and(|f| *f.get_ref())
}

fn has_rules(field: &Field) -> bool {
    has_scalar_rules(field) || field.min_items.is_some() || is_set(&field.check_items)
}

/// A `min`/`max` value: an integer, or a decimal written as a string (`"-99.99999"`).
fn bound(value: &toml::Value) -> Option<Lit> {
    match value {
        toml::Value::Integer(i) => Some(Lit::Int(i128::from(*i))),
        toml::Value::String(text) => {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text.as_str()),
            };
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
            if whole.is_empty()
                || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
            let scale = u32::try_from(fraction.len()).ok()?;
            Some(Lit::Decimal(
                if negative { -mantissa } else { mantissa },
                scale,
            ))
        }
        _ => None,
    }
}

fn decimal(builtin: Option<Builtin>) -> bool {
    matches!(builtin, Some(Builtin::Decimal | Builtin::Money))
}

/// The checks of one scalar `value` (a reference) named `wire`.
fn scalar_checks(
    model: &str,
    field: &Field,
    ty: TypeRef,
    wire: &TokenStream,
) -> Result<Vec<TokenStream>, String> {
    let core = quote!(::pos_client_core::validate);
    let name = field.name.get_ref();
    let builtin = match ty {
        TypeRef::Builtin(b) => Some(b),
        _ => None,
    };
    let wrong = |rule: &str| format!("{model}.{name}: `{rule}` does not fit its type");
    let mut checks = Vec::new();
    if is_set(&field.not_blank) {
        if builtin != Some(Builtin::String) {
            return Err(wrong("not_blank"));
        }
        checks.push(quote!(#core::not_blank(&#wire, value)?;));
    }
    if let Some(max) = &field.max_len {
        if builtin != Some(Builtin::String) {
            return Err(wrong("max_len"));
        }
        let max = *max.get_ref() as usize;
        checks.push(quote!(#core::max_chars(&#wire, value, #max)?;));
    }
    if let Some(charset) = &field.charset {
        if builtin != Some(Builtin::String) {
            return Err(wrong("charset"));
        }
        if let Some(rule) = charset.get_ref().rule() {
            let rule = ident(rule);
            checks.push(quote!(#core::#rule(&#wire, value)?;));
        }
    }
    let numeric = matches!(
        builtin,
        Some(
            Builtin::I32
                | Builtin::I64
                | Builtin::U32
                | Builtin::U64
                | Builtin::Decimal
                | Builtin::Money
        )
    );
    if is_set(&field.positive) {
        if !numeric {
            return Err(wrong("positive"));
        }
        checks.push(quote!(#core::positive(&#wire, value)?;));
    }
    // Money rules compare the amount.
    let number = if builtin == Some(Builtin::Money) {
        quote!(&value.amount())
    } else {
        quote!(value)
    };
    for (rule, limit, function) in [
        ("min", &field.min, quote!(at_least)),
        ("max", &field.max, quote!(at_most)),
    ] {
        if let Some(limit) = limit {
            let lit = bound(limit.get_ref()).ok_or_else(|| {
                format!("{model}.{name}: `{rule}` must be an integer or a decimal string")
            })?;
            if !numeric || (matches!(lit, Lit::Decimal(..)) && !decimal(builtin)) {
                return Err(wrong(rule));
            }
            let limit = bound_expr(&lit, builtin);
            checks.push(quote!(#core::#function(&#wire, #number, &#limit)?;));
        }
    }
    if let Some(scale) = &field.scale {
        if !decimal(builtin) {
            return Err(wrong("scale"));
        }
        let scale = *scale.get_ref();
        let owned = if builtin == Some(Builtin::Money) {
            quote!(value.amount())
        } else {
            quote!(*value)
        };
        checks.push(quote!(#core::max_scale(&#wire, #owned, #scale)?;));
    }
    if is_set(&field.four_digit_year) {
        let date = match builtin {
            Some(Builtin::Date) => quote!(*value),
            Some(Builtin::Datetime) => quote!(value.date()),
            _ => return Err(wrong("four_digit_year")),
        };
        checks.push(quote!(#core::four_digit_year(&#wire, #date)?;));
    }
    if let Some(max) = &field.max_digits {
        let max = *max.get_ref();
        let decimal = match builtin {
            Some(Builtin::Decimal) => quote!(*value),
            Some(Builtin::Money) => quote!(value.amount()),
            _ => return Err(wrong("max_digits")),
        };
        checks.push(quote!(#core::significant_digits(&#wire, #decimal, #max)?;));
    }
    Ok(checks)
}

/// `impl Model { pub fn check_fields() … }` when any field of a request model has a rule.
pub fn render(model: &Model, types: &[TypeRef]) -> Result<TokenStream, String> {
    let model_name = model.name.get_ref();
    if !model.field.iter().any(has_rules) {
        return Ok(quote!());
    }
    if !model.direction.get_ref().serializes() {
        return Err(format!(
            "{model_name}: field rules are for request models (direction \"request\" or \"both\")"
        ));
    }
    let core = quote!(::pos_client_core::validate);
    let (mut lists, mut scalars) = (Vec::new(), Vec::new());
    let mut described = Vec::new();
    for (field, ty) in model.field.iter().zip(types) {
        if !has_rules(field) {
            continue;
        }
        let id = ident(field.name.get_ref());
        let wire_text = field.wire_name();
        described.push(format!("`{wire_text}`"));
        let wire = quote!(name(#wire_text));
        if field.list_shape().is_some() {
            if has_scalar_rules(field) {
                return Err(format!(
                    "{model_name}.{}: a list takes only `min_items` and `check_items`",
                    field.name.get_ref()
                ));
            }
            let mut checks = Vec::new();
            if let Some(min) = &field.min_items {
                let min = *min.get_ref() as usize;
                checks.push(quote!(#core::min_items(&#wire, self.#id.len(), #min)?;));
            }
            if is_set(&field.check_items) {
                if *ty != TypeRef::Model {
                    return Err(format!(
                        "{model_name}.{}: `check_items` needs a list of models",
                        field.name.get_ref()
                    ));
                }
                checks.push(quote! {
                    for (index, item) in self.#id.iter().enumerate() {
                        item.check_fields_at(::std::option::Option::Some(&::std::format!("{}[{index}]", #wire)))?;
                    }
                });
            }
            lists.extend(checks);
            continue;
        }
        if field.min_items.is_some() || is_set(&field.check_items) {
            return Err(format!(
                "{model_name}.{}: `min_items` and `check_items` are for lists",
                field.name.get_ref()
            ));
        }
        let checks = scalar_checks(model_name, field, *ty, &wire)?;
        scalars.push(if field.is_optional() {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#id {
                    #(#checks)*
                }
            }
        } else {
            quote! {
                let value = &self.#id;
                #(#checks)*
            }
        });
    }
    let name = ident(model_name);
    let doc = format!(
        " Checks the rules of the spec notes for {}: nothing is sent when one is broken; the \
         error names the field as the wire does.",
        described.join(", ")
    );
    Ok(quote! {
        impl #name {
            #[doc = #doc]
            pub fn check_fields<C: ::pos_client_core::VendorCode>(
                &self,
            ) -> ::std::result::Result<(), ::pos_client_core::Error<C>> {
                self.check_fields_at(::std::option::Option::None)
            }

            /// [`check_fields`](Self::check_fields), the names under `at` (`items[0]`).
            fn check_fields_at<C: ::pos_client_core::VendorCode>(
                &self,
                at: ::std::option::Option<&str>,
            ) -> ::std::result::Result<(), ::pos_client_core::Error<C>> {
                let name = |wire: &str| match at {
                    ::std::option::Option::Some(at) => ::std::format!("{at}[{wire}]"),
                    ::std::option::Option::None => wire.to_owned(),
                };
                #(#lists)*
                #(#scalars)*
                ::std::result::Result::Ok(())
            }
        }
    })
}

fn has_scalar_rules(field: &Field) -> bool {
    is_set(&field.not_blank)
        || field.max_len.is_some()
        || field.charset.is_some()
        || is_set(&field.positive)
        || field.min.is_some()
        || field.max.is_some()
        || field.scale.is_some()
        || field.max_digits.is_some()
        || is_set(&field.four_digit_year)
}
