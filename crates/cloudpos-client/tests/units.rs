//! Unit tests of the public parsing and configuration pieces (error codes, Brussels time,
//! orders, the builder), kept out of the source files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod error {
    use cloudpos_client::error::{Error, ErrorCode, parse_vendor_datetime};
    use pos_client_core::chrono::NaiveDateTime;
    use pos_client_core::{CodeClass, VendorCode};

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn datetimes_are_found_in_messages_in_common_formats() {
        for (message, expected) in [
            (
                "Limit of '500' requests per day reached, next request possible '2026-11-26 00:00:00'",
                Some("2026-11-26 00:00:00"),
            ),
            (
                "5 bad logins reached, your ip adress is blocked till '25-11-2026 14:35'",
                Some("2026-11-25 14:35:00"),
            ),
            (
                "blocked till 25/11/2026 14:35:09",
                Some("2026-11-25 14:35:09"),
            ),
            ("till 2026-11-25T14:35:09Z", Some("2026-11-25 14:35:09")),
            ("till 25.11.2026 14:35", Some("2026-11-25 14:35:00")),
            ("possible '2026-11-26'", Some("2026-11-26 00:00:00")),
            (
                "Limit of '500' requests per day reached, next request possible 'datetime'",
                None,
            ),
            ("", None),
            ("possible '2026-13-40 99:00:00'", None),
        ] {
            assert_eq!(
                parse_vendor_datetime(message),
                expected.map(dt),
                "{message}"
            );
        }
    }

    #[test]
    fn codes_are_interpreted_per_function() {
        let f = ErrorCode::from_wire;
        assert_eq!(f("get-products", 1001, None), ErrorCode::EmptyCredentials);
        assert_eq!(f("get-products", 1002, None), ErrorCode::InvalidCredentials);
        assert_eq!(
            f(
                "get-products",
                1003,
                Some("next request possible '2026-11-26 00:00:00'")
            ),
            ErrorCode::DailyLimitReached {
                next_request_at: Some(dt("2026-11-26 00:00:00"))
            }
        );
        assert_eq!(
            f("get-products", 1004, Some("blocked till 'soon'")),
            ErrorCode::IpBlocked { until: None }
        );
        assert_eq!(f("get-products", 1005, None), ErrorCode::NoLicense);
        assert_eq!(f("get-products", 2000, None), ErrorCode::NotFound);
        assert_eq!(
            f("get-confirmedweborder", 2001, None),
            ErrorCode::WeborderNotConfirmed
        );
        assert_eq!(
            f("get-confirmedweborder", 2002, None),
            ErrorCode::WeborderIdEmpty
        );
        assert_eq!(
            f("get-confirmedweborder", 2003, None),
            ErrorCode::WeborderIdUnknown
        );
        for signed in [
            "get-invoicesigned",
            "get-offersigned",
            "get-creditnotesigned",
        ] {
            assert_eq!(f(signed, 2001, None), ErrorCode::DocumentNrEmpty);
            assert_eq!(f(signed, 2002, None), ErrorCode::DocumentNrInUse);
            assert_eq!(
                f(signed, 2003, None),
                ErrorCode::Unknown(2003, String::new())
            );
        }
        assert_eq!(
            f("get-reservationpersons", 2001, None),
            ErrorCode::DateEmpty
        );
        assert_eq!(f("get-reservationhours", 2001, None), ErrorCode::DateEmpty);
        assert_eq!(
            f("get-reservationhours", 2002, None),
            ErrorCode::PersonsEmpty
        );
        assert_eq!(
            f("get-reservationpersons", 2002, Some("x")),
            ErrorCode::Unknown(2002, "x".into())
        );
        assert_eq!(
            f("get-products", 2001, Some("odd")),
            ErrorCode::Unknown(2001, "odd".into())
        );
        assert_eq!(f("get-products", 9999, None).code(), 9999);
        for (code, locks) in [
            (1001, true),
            (1002, true),
            (1003, false),
            (1004, true),
            (1005, false),
            (2000, false),
        ] {
            assert_eq!(f("get-users", code, None).locks_client(), locks, "{code}");
            assert_eq!(f("get-users", code, None).code(), code);
        }
    }

    #[test]
    fn display_is_one_line_with_code_and_message() {
        let e = Error::Api {
            operation: pos_client_core::OperationId {
                vendor: "cloudpos",
                name: "get-products",
            },
            status: pos_client_core::http::StatusCode::OK,
            code: ErrorCode::DailyLimitReached {
                next_request_at: Some(dt("2026-11-26 00:00:00")),
            },
            message: Some("Limit of '500' requests per day reached".into()),
            fields: Vec::new(),
            body: pos_client_core::BodySnippet::default(),
        };
        assert_eq!(
            e.to_string(),
            "cloudpos get-products: HTTP 200 OK [1003 (daily request limit reached), next request possible 2026-11-26 00:00:00]: Limit of '500' requests per day reached"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.code().map(ErrorCode::code), Some(1003));
    }

    #[test]
    fn credential_codes_are_of_class_credentials() {
        for (code, class) in [
            (1001, CodeClass::Credentials),
            (1002, CodeClass::Credentials),
            (1003, CodeClass::LimitReached),
            (1004, CodeClass::Credentials),
            (1005, CodeClass::Permanent),
            (2000, CodeClass::Permanent),
        ] {
            assert_eq!(ErrorCode::from_wire("get-users", code, None).class(), class);
        }
    }
}

mod time {
    use cloudpos_client::time::*;
    use pos_client_core::chrono::{DateTime, NaiveDateTime, Utc};

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn the_server_day_changes_at_brussels_midnight_in_winter_and_summer() {
        // Winter: midnight in Brussels is 23:00 UTC.
        assert_eq!(
            server_date(utc("2026-11-25T22:59:59Z")).to_string(),
            "2026-11-25"
        );
        assert_eq!(
            server_date(utc("2026-11-25T23:00:00Z")).to_string(),
            "2026-11-26"
        );
        // Summer: 22:00 UTC.
        assert_eq!(
            server_date(utc("2026-07-01T21:59:59Z")).to_string(),
            "2026-07-01"
        );
        assert_eq!(
            server_date(utc("2026-07-01T22:00:00Z")).to_string(),
            "2026-07-02"
        );
        assert_eq!(
            next_server_midnight(utc("2026-11-25T12:00:00Z")),
            utc("2026-11-25T23:00:00Z")
        );
        assert_eq!(
            next_server_midnight(utc("2026-07-01T22:00:00Z")),
            utc("2026-07-02T22:00:00Z")
        );
        // Across the spring change: the day of 29 March 2026 has 23 hours.
        assert_eq!(
            next_server_midnight(utc("2026-03-28T23:00:00Z")),
            utc("2026-03-29T22:00:00Z")
        );
        // Across the autumn change: 25 October 2026 has 25 hours.
        assert_eq!(
            next_server_midnight(utc("2026-10-24T22:00:00Z")),
            utc("2026-10-25T23:00:00Z")
        );
    }

    #[test]
    fn wall_clock_times_around_the_dst_changes() {
        // Either side of the spring change (29 March 2026, 02:00 CET -> 03:00 CEST).
        assert_eq!(
            server_local_to_utc(local("2026-03-29 01:59:59")),
            utc("2026-03-29T00:59:59Z")
        );
        assert_eq!(
            server_local_to_utc(local("2026-03-29 03:00:00")),
            utc("2026-03-29T01:00:00Z")
        );
        // In the gap: the latest reading, never earlier than the gap's end.
        assert_eq!(
            server_local_to_utc(local("2026-03-29 02:00:00")),
            utc("2026-03-29T01:00:00Z")
        );
        assert_eq!(
            server_local_to_utc(local("2026-03-29 02:59:59")),
            utc("2026-03-29T01:59:59Z")
        );
        // Either side of the autumn change (25 October 2026, 03:00 CEST -> 02:00 CET).
        assert_eq!(
            server_local_to_utc(local("2026-10-25 01:59:59")),
            utc("2026-10-24T23:59:59Z")
        );
        assert_eq!(
            server_local_to_utc(local("2026-10-25 03:00:00")),
            utc("2026-10-25T02:00:00Z")
        );
        // Twice: the second (CET) one.
        assert_eq!(
            server_local_to_utc(local("2026-10-25 02:00:00")),
            utc("2026-10-25T01:00:00Z")
        );
        assert_eq!(
            server_local_to_utc(local("2026-10-25 02:59:59")),
            utc("2026-10-25T01:59:59Z")
        );
        // Round trip of the sandbox's formatting.
        for t in [
            "2026-03-29T01:00:00Z",
            "2026-10-25T00:30:00Z",
            "2026-12-31T23:30:00Z",
        ] {
            let written = format_server_time(utc(t));
            let read = server_local_to_utc(local(&written));
            assert!(read >= utc(t), "{t} -> {written} -> {read}");
        }
    }
}

mod orders {
    use cloudpos_client::models::WireOrder;
    use cloudpos_client::orders::*;
    use pos_client_core::rust_decimal::Decimal;
    use serde_json::json;

    fn order(v: serde_json::Value) -> Order {
        Order::from(serde_json::from_value::<WireOrder>(v).unwrap())
    }

    #[test]
    fn all_ten_subproduct_slots_are_read_in_order_and_empty_ones_dropped() {
        let mut line = serde_json::Map::new();
        line.insert("quantity".into(), json!("2"));
        line.insert("productid".into(), json!(1));
        line.insert("productprice".into(), json!("3.00"));
        for i in 1..=10 {
            if i == 4 {
                line.insert(format!("subproduct{i}id"), json!("0"));
                line.insert(format!("subproduct{i}price"), json!(""));
                continue;
            }
            line.insert(format!("subproduct{i}id"), json!(100 + i));
            line.insert(format!("subproduct{i}price"), json!(format!("0.{i:02}")));
            line.insert(
                format!("subproduct{i}tax"),
                json!(if i % 2 == 0 { 6 } else { 21 }),
            );
        }
        let o = order(json!({"id": 1, "orderdetail": [line], "ordertime": "2026-11-25 12:30:00"}));
        let subs = &o.lines[0].subproducts;
        assert_eq!(subs.len(), 9);
        assert_eq!(
            subs.iter().map(|s| s.slot).collect::<Vec<_>>(),
            [1, 2, 3, 5, 6, 7, 8, 9, 10]
        );
        assert_eq!(subs[8].id, Some(110));
        assert_eq!(subs[8].price, Some("0.10".parse().unwrap()));
        assert_eq!(subs[8].tax, Some(Decimal::from(6)));
        // (3.00 + 0.01+0.02+0.03+0.05+…+0.10) × 2
        assert_eq!(o.lines[0].total().to_string(), "7.02");
        assert_eq!(o.order_time.unwrap().to_string(), "2026-11-25 12:30:00");
    }

    #[test]
    fn payments_become_a_typed_structure_with_exact_totals() {
        let o = order(json!({
            "id": "9", "customerid": "0", "totalprice": "30.30",
            "cashpayment": "10.10", "bancontactpayment": 10.1, "voucherpayment": "",
            "transferpayment": null, "visapayment": "0", "chargecardpayment": "5,05",
            "luncheoncardpayment": 5.05, "americanexpresspayment": "0.00", "mastercardpayment": 0
        }));
        assert_eq!(o.customer_id, None);
        assert_eq!(o.payments.total(), "30.30".parse().unwrap());
        assert_eq!(o.payments.total(), o.total_price.unwrap());
        assert_eq!(
            o.payments.get(PaymentMethodKind::ChargeCard),
            "5.05".parse().unwrap()
        );
        assert_eq!(
            o.payments.non_zero().map(|(k, _)| k).collect::<Vec<_>>(),
            [
                PaymentMethodKind::Cash,
                PaymentMethodKind::Bancontact,
                PaymentMethodKind::ChargeCard,
                PaymentMethodKind::LuncheonCard
            ]
        );
        let sum: Payments = [o.payments, o.payments].iter().sum();
        assert_eq!(sum.get(PaymentMethodKind::Cash), "20.20".parse().unwrap());
        assert!(o.lines.is_empty());
        assert!(!o.is_clock_record());
    }

    #[test]
    fn a_single_detail_object_is_one_line_and_price_only_slots_count() {
        let o = order(json!({"id": 2, "clockin": "2026-11-25 08:00:00",
            "orderdetail": {"productid": 4, "productprice": 1, "subproduct3price": "0.50"}}));
        assert_eq!(o.lines.len(), 1);
        assert_eq!(o.lines[0].subproducts[0].slot, 3);
        assert_eq!(o.lines[0].subproducts[0].id, None);
        assert_eq!(o.lines_total().to_string(), "1.50");
        assert!(o.is_clock_record());
    }
}

mod client {
    use std::sync::Arc;

    use cloudpos_client::client::*;
    use cloudpos_client::{NaiveDate, OrderFilter};
    use pos_client_core::chrono::{DateTime, Utc};

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_lookup_needs_licname_and_token_and_names_the_variables() {
        let err = ClientBuilder::from_lookup(env(&[])).unwrap_err();
        assert!(err.to_string().contains("CLOUDPOS_LICNAME"), "{err}");
        let err = ClientBuilder::from_lookup(env(&[("CLOUDPOS_LICNAME", "shop")])).unwrap_err();
        assert!(err.to_string().contains("CLOUDPOS_TOKEN"), "{err}");
        let client = ClientBuilder::from_lookup(env(&[
            ("CLOUDPOS_LICNAME", "shop"),
            ("CLOUDPOS_TOKEN", "tok-SECRET-77"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert!(!format!("{client:?}").contains("tok-SECRET-77"));
        let client = ClientBuilder::from_lookup(env(&[
            ("CLOUDPOS_LICNAME", "shop"),
            ("CLOUDPOS_TOKEN", "tok-SECRET-77"),
            ("CLOUDPOS_BASE_URL", "http://127.0.0.1:9/api"),
        ]))
        .unwrap();
        assert!(!format!("{client:?}").contains("tok-SECRET-77"));
        assert_eq!(
            client.build().unwrap().base_url(),
            "http://127.0.0.1:9/api/"
        );
        assert!(Client::builder().build().is_err());
        assert!(Client::builder().credentials("shop", " ").build().is_err());
        assert!(Client::builder().credentials("", "t").build().is_err());
    }

    #[test]
    fn clients_and_their_futures_are_send_and_sync() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: &T) {}
        let client = Client::builder().credentials("shop", "t").build().unwrap();
        send_sync(&client);
        send(&client.products());
        send(&client.orders(&OrderFilter::new()));
        send(&client.reservation_hours(NaiveDate::MIN, 1));
    }

    #[test]
    fn quota_counts_per_brussels_day_and_adjusts() {
        use std::sync::Mutex;
        // 23:59 in Brussels (CET, +01:00).
        let now = Arc::new(Mutex::new(
            "2026-11-25T22:59:00Z".parse::<DateTime<Utc>>().unwrap(),
        ));
        let clock = now.clone();
        let client = Client::builder()
            .credentials("shop", "t")
            .daily_quota(10)
            .clock(move || *clock.lock().unwrap())
            .build()
            .unwrap();
        assert_eq!(client.quota_remaining(), 10);
        client.set_quota_used(7);
        assert_eq!((client.quota_used(), client.quota_remaining()), (7, 3));
        assert_eq!(client.server_today().to_string(), "2026-11-25");
        // Midnight in Brussels is 23:00 UTC: a new day there, still the 25th in UTC.
        *now.lock().unwrap() = "2026-11-25T23:00:01Z".parse().unwrap();
        assert_eq!((client.quota_used(), client.quota_remaining()), (0, 10));
        assert_eq!(client.server_today().to_string(), "2026-11-26");
    }
}
