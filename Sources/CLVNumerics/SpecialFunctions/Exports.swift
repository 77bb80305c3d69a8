// CLVNumerics re-exports swift-numerics' RealModule so that `logGamma`, `log(onePlus:)`,
// `expMinusOne` and friends are available wherever CLVNumerics is imported.
@_exported import RealModule
