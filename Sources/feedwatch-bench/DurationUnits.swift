import Foundation

extension Duration {
    /// The duration as a `Double`, for rates and printing.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    var ms: Double { seconds * 1000 }
}

extension Double {
    /// One decimal place: "2.6".
    var fixed: String { String(format: "%.1f", self) }
}
