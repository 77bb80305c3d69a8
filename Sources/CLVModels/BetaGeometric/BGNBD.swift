/// The beta-geometric/NBD model of repeat purchasing ([FHL2005a]): while alive, a customer buys
/// as a Poisson process with rate λ ~ gamma(r, α); after each repeat purchase they drop out with
/// probability p ~ beta(a, b). A customer without repeat purchases is alive for certain.
///
/// - Source: [FHL2005a] Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
public typealias BGNBD = BetaGeometricModel<BGNBDVariant>

/// BG/NBD's place in the beta-geometric family (see ``BGNBD``).
public enum BGNBDVariant: BetaGeometricVariant {
  public static let modelName = "BG/NBD"
  public static let modelID = "bgnbd"
  public static let dropsOutAfterFirstPurchase = false
}
