/// The modified beta-geometric/NBD model: BG/NBD in which a customer may also drop out right
/// after the first purchase, so that customers without repeat purchases need not be alive.
///
/// - Source: [BDF2007] Batislam, Denizel & Filiztekin (2007); formulas as in lifetimes 0.11.3
///   `ModifiedBetaGeoFitter` (which follows [BDF2007] appendix A and Wagner & Hoppe 2008).
public typealias MBGNBD = BetaGeometricModel<MBGNBDVariant>

/// MBG/NBD's place in the beta-geometric family (see ``MBGNBD``).
public enum MBGNBDVariant: BetaGeometricVariant {
  public static let modelName = "MBG/NBD"
  public static let modelID = "mbgnbd"
  public static let dropsOutAfterFirstPurchase = true
}
