#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Helpers for NumericDate (RFC 7519 §2): seconds since the Unix epoch, as a JSON number.
enum NumericDate {
    /// The dates a token may carry: years 1 to 9999, those a four-digit ISO 8601 year shows.
    /// Beyond them a number is a mistake or an attack (`1e300`), and would not survive
    /// conversions to whole seconds.
    static let validRange: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// The date a NumericDate denotes.
    static func date(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: seconds)
    }

    /// The NumericDate (whole seconds) of a date.
    static func seconds(_ date: Date) -> Double {
        date.timeIntervalSince1970.rounded(.down)
    }

    /// Formats a date as `2026-11-29T13:00:00Z` (UTC, whole seconds) without locale or ICU.
    static func iso8601(_ date: Date) -> String {
        // Only dates the claims check let through are shown; anything else must not trap.
        guard validRange.contains(date.timeIntervalSince1970) else { return "(out of range)" }
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var secondsOfDay = total % 86_400
        if secondsOfDay < 0 {
            secondsOfDay += 86_400
            days -= 1
        }
        // Civil-from-days (H. Hinnant), valid for the proleptic Gregorian calendar.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay % 3600 / 60, 2)):\(pad(secondsOfDay % 60, 2))Z"
    }
}
