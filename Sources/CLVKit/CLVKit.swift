// The umbrella module: `import CLVKit` sees every public type of clvkit — order logs and
// summaries (CLVData), special functions and optimizers (CLVNumerics), the models and model
// files (CLVModels), holdout evaluation and run files (CLVEvaluation), batch scoring, segments
// and campaign lists (CLVScoring), and the comparison report (CLVReport).
@_exported import CLVData
@_exported import CLVEvaluation
@_exported import CLVModels
@_exported import CLVNumerics
@_exported import CLVReport
@_exported import CLVScoring
