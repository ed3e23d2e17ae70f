//! The sandbox's catalogue: its products and the seeded default.

use pos_client_core::rust_decimal::Decimal;

/// One product of the sandbox's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxProduct {
    /// Product code.
    pub code: String,
    /// Product name.
    pub name: String,
    /// Units on hand.
    pub qty: Decimal,
    /// Whether `sync-stock` lists it (pushes accept inactive products too).
    pub active: bool,
}

impl SandboxProduct {
    /// An active product.
    pub fn new(code: impl Into<String>, name: impl Into<String>, qty: Decimal) -> Self {
        SandboxProduct {
            code: code.into(),
            name: name.into(),
            qty,
            active: true,
        }
    }

    /// Marks the product inactive: `sync-stock` leaves it out.
    pub fn inactive(mut self) -> Self {
        self.active = false;
        self
    }
}

/// The catalogue [`Sandbox::start`](super::Sandbox::start) seeds: four active products (one with fractional stock)
/// and one inactive product.
pub fn default_catalogue() -> Vec<SandboxProduct> {
    vec![
        SandboxProduct::new("CM-1001", "Espresso beans 1 kg", Decimal::from(40)),
        SandboxProduct::new("CM-1002", "Oat milk 1 L", Decimal::from(120)),
        SandboxProduct::new("CM-1003", "Loose green tea (kg)", Decimal::new(125, 1)),
        SandboxProduct::new("CM-1004", "Ceramic mug", Decimal::from(18)),
        SandboxProduct::new("CM-0999", "Discontinued syrup", Decimal::from(3)).inactive(),
    ]
}
