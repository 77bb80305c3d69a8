// Tests draw from the project's one seeded generator (CLVNumerics' SeededGenerator).
@_exported import struct CLVNumerics.SeededGenerator
