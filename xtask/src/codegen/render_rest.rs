//! The hand-written `Deserialize` of a model with a `rest` field (see [`super::render`]).
//!
//! `#[serde(flatten)]` makes serde buffer every unknown field into its private `Content` and
//! convert it again into `serde_json::Value`; this visitor reads each value once instead. It
//! behaves as the derive with `flatten` did: the same names and aliases, the same adapters, the
//! same `missing_field` and `duplicate_field` errors, and last-one-wins for repeated unknown keys.
//!
//! With type `rest` (`pos_client_core::Rest`) an unknown key is written, escaped, straight into
//! the record's one buffer by `Rest::key_seed` (no `String` per key) and its value copied there
//! as raw JSON text by `Rest::value_seed` (no `Value`, no map node). With type `json_map` each
//! unknown key becomes a `String` and each value a `serde_json::Value`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::render::{field_type, ident, serde_as_type};
use super::spec::{Builtin, Field, Model, TypeRef};

/// Whether a model gets [`deserialize_impl`] instead of `#[derive(Deserialize)]`.
pub fn hand_written(model: &Model) -> bool {
    model.direction.get_ref().deserializes() && model.field.iter().any(Field::is_rest)
}

/// `impl<'de> Deserialize<'de>` for a model with a `rest` field: a map visitor with a key enum
/// (one variant per named field, named like the field, plus `Other` for every other key).
pub fn deserialize_impl(model: &Model, types: &[TypeRef]) -> Result<TokenStream, String> {
    let model_name = model.name.get_ref().as_str();
    let name = ident(model_name);
    let key = format_ident!("{}Key", model_name);
    let key_visitor = format_ident!("{}KeyVisitor", model_name);
    let visitor = format_ident!("{}Visitor", model_name);
    let expecting = format!("struct {model_name}");

    let rest = model
        .field
        .iter()
        .find(|f| f.is_rest())
        .ok_or_else(|| format!("internal error: model `{model_name}` has no rest field"))?;
    let rest_id = ident(rest.name.get_ref());
    let raw_rest = model
        .field
        .iter()
        .zip(types.iter().copied())
        .any(|(f, t)| f.is_rest() && t == TypeRef::Builtin(Builtin::Rest));
    let named: Vec<(&Field, TypeRef)> = model
        .field
        .iter()
        .zip(types.iter().copied())
        .filter(|(f, _)| !f.is_rest())
        .collect();

    let variants = named.iter().map(|(f, _)| ident(f.name.get_ref()));
    let key_arms = named.iter().map(|(f, _)| {
        let id = ident(f.name.get_ref());
        let wire = f.wire_name();
        let aliases = f.alias.iter().map(|a| a.get_ref().as_str());
        quote!(#wire #(| #aliases)* => #key::#id,)
    });
    let slots = named.iter().map(|(f, t)| {
        let id = ident(f.name.get_ref());
        let ty = field_type(f, *t);
        quote!(let mut #id: ::std::option::Option<#ty> = ::std::option::Option::None;)
    });
    // Each named field's arm, `#key::field => { … }` (`Some(#key::field) => …` for `Rest`).
    let mut value_arms = Vec::with_capacity(named.len());
    let mut raw_arms = Vec::with_capacity(named.len());
    for (f, t) in &named {
        let id = ident(f.name.get_ref());
        let wire = f.wire_name();
        let ty = field_type(f, *t);
        let read = match serde_as_type(f) {
            Some(adapter) => {
                let adapter: syn::Type = syn::parse_str(&adapter)
                    .map_err(|e| format!("internal error: adapter `{adapter}`: {e}"))?;
                quote!(__map
                    .next_value::<::pos_client_core::serde_with::de::DeserializeAsWrap<#ty, #adapter>>()?
                    .into_inner())
            }
            None => quote!(__map.next_value::<#ty>()?),
        };
        let body = quote! {
            {
                if #id.is_some() {
                    return ::std::result::Result::Err(::serde::de::Error::duplicate_field(#wire));
                }
                #id = ::std::option::Option::Some(#read);
            }
        };
        raw_arms.push(quote!(::std::option::Option::Some(#key::#id) => #body));
        value_arms.push(quote!(#key::#id => #body));
    }
    // Absent: optional fields are None and lists empty (as `#[serde(default)]`); the others
    // are an error naming the wire name.
    let required = named
        .iter()
        .filter(|(f, _)| !f.is_optional() && f.list_shape().is_none())
        .map(|(f, _)| {
            let id = ident(f.name.get_ref());
            let wire = f.wire_name();
            quote! {
                let #id = #id.ok_or_else(|| ::serde::de::Error::missing_field(#wire))?;
            }
        });
    let inits = model.field.iter().map(|f| {
        let id = ident(f.name.get_ref());
        if f.is_rest() || (!f.is_optional() && f.list_shape().is_none()) {
            quote!(#id,)
        } else {
            quote!(#id: #id.unwrap_or_default(),)
        }
    });

    if raw_rest {
        return Ok(quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    /// A named field of the object (by wire name or alias); other keys go to the rest.
                    #[allow(non_camel_case_types)]
                    enum #key {
                        #(#variants,)*
                    }
                    impl #key {
                        fn named(text: &str) -> ::std::option::Option<#key> {
                            ::std::option::Option::Some(match text {
                                #(#key_arms)*
                                _ => return ::std::option::Option::None,
                            })
                        }
                    }
                    struct #visitor;
                    impl<'de> ::serde::de::Visitor<'de> for #visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut __map: A) -> ::std::result::Result<#name, A::Error> {
                            #(#slots)*
                            let mut #rest_id = ::pos_client_core::Rest::new();
                            while let ::std::option::Option::Some(__key) = __map.next_key_seed(#rest_id.key_seed(#key::named))? {
                                match __key {
                                    #(#raw_arms)*
                                    // Written into the rest by `key_seed`: its value follows.
                                    ::std::option::Option::None => __map.next_value_seed(#rest_id.value_seed())?,
                                }
                            }
                            #(#required)*
                            ::std::result::Result::Ok(#name { #(#inits)* })
                        }
                    }
                    deserializer.deserialize_map(#visitor)
                }
            }
        });
    }
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                /// A key of the object: a named field (by wire name or alias) or any other.
                #[allow(non_camel_case_types)]
                enum #key {
                    #(#variants,)*
                    Other(::std::string::String),
                }
                impl #key {
                    fn named(text: &str) -> ::std::option::Option<#key> {
                        ::std::option::Option::Some(match text {
                            #(#key_arms)*
                            _ => return ::std::option::Option::None,
                        })
                    }
                }
                struct #key_visitor;
                impl ::serde::de::Visitor<'_> for #key_visitor {
                    type Value = #key;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<#key, E> {
                        ::std::result::Result::Ok(#key::named(v).unwrap_or_else(|| #key::Other(v.to_owned())))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, v: ::std::string::String) -> ::std::result::Result<#key, E> {
                        ::std::result::Result::Ok(match #key::named(&v) {
                            ::std::option::Option::Some(key) => key,
                            ::std::option::Option::None => #key::Other(v),
                        })
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #key {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        deserializer.deserialize_identifier(#key_visitor)
                    }
                }
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut __map: A) -> ::std::result::Result<#name, A::Error> {
                        #(#slots)*
                        let mut #rest_id = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(__key) = __map.next_key::<#key>()? {
                            match __key {
                                #(#value_arms)*
                                #key::Other(__name) => {
                                    #rest_id.insert(__name, __map.next_value::<::serde_json::Value>()?);
                                }
                            }
                        }
                        #(#required)*
                        ::std::result::Result::Ok(#name { #(#inits)* })
                    }
                }
                deserializer.deserialize_map(#visitor)
            }
        }
    })
}
