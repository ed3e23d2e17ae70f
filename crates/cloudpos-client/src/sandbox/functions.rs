//! The functions the sandbox serves: their names, the noun of their records and the error
//! codes the vendor's document lists for each.

/// Every function the sandbox serves, with the plural noun of its records.
pub const FUNCTIONS: [&str; 19] = [
    "get-categories",
    "get-products",
    "get-subproducts",
    "get-customers",
    "get-users",
    "get-tables",
    "get-payment",
    "get-printers",
    "get-orders",
    "get-invoices",
    "get-confirmedweborder",
    "get-invoicesigned",
    "get-offersigned",
    "get-creditnotesigned",
    "get-reservationpersons",
    "get-reservationhours",
    "get-giftvoucher",
    "get-coupon",
    "get-customercredits",
];

/// The error codes the vendor's document lists for `function`, besides 1001–1005 which any
/// function may answer. The sandbox answers no other code.
pub fn documented_codes(function: &str) -> &'static [i64] {
    match function {
        "get-confirmedweborder" => &[2001, 2002, 2003],
        "get-invoicesigned" | "get-offersigned" | "get-creditnotesigned" => &[2000, 2001, 2002],
        "get-reservationpersons" => &[2000, 2001],
        "get-reservationhours" => &[2001, 2002],
        _ => &[2000],
    }
}

/// The "No … found" word and the envelope noun of a list function.
pub(super) fn noun(function: &str) -> &'static str {
    match function {
        "get-categories" => "categories",
        "get-products" => "products",
        "get-subproducts" => "subproducts",
        "get-customers" => "customers",
        "get-users" => "users",
        "get-tables" => "tables",
        "get-payment" => "payment",
        "get-printers" => "printers",
        "get-orders" => "orders",
        "get-invoices" => "invoices",
        "get-giftvoucher" => "vouchers",
        "get-coupon" => "coupons",
        "get-customercredits" => "customercredits",
        _ => "records",
    }
}
