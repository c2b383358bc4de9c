using System.Globalization;
using System.Net.Mail;

namespace Jobkore.Core.Domain;

/// <summary>
/// Field rules shared by the entities (which throw) and the forms (which show the message next to the field).
/// Each returns null when the value is fine, or a message that says what to fix.
/// </summary>
public static class Rules
{
    /// <summary>The earliest date Jobkore accepts on an invoice or payment: earlier is a typo (0202 for 2020).</summary>
    public static readonly DateOnly FirstDate = new(1900, 1, 1);

    /// <summary>The latest date Jobkore accepts on an invoice or payment: later is a typo (20266 for 2026).</summary>
    public static readonly DateOnly LastDate = new(2099, 12, 31);

    /// <summary>
    /// Text that holds at least one visible character (spaces, line breaks and invisible characters such as a
    /// zero-width space do not count), at most <paramref name="maxLength"/> long once trimmed, and is valid text.
    /// </summary>
    public static string? Required(string? value, string label, int maxLength) =>
        value is null || value.All(IsInvisible) ? $"{label} is required."
        : Optional(value, label, maxLength);

    /// <summary>
    /// At most <paramref name="maxLength"/> long once trimmed, and valid text: no control characters other than tabs
    /// and line breaks (which QuickBooks names turn into spaces), and no half of a character (a broken emoji).
    /// </summary>
    public static string? Optional(string? value, string label, int maxLength) =>
        value is null ? null
        : value.Trim().Length > maxLength ? $"{label} can be at most {maxLength} characters."
        : Unreadable(value, label);

    /// <summary>A date a person can mean on an invoice or payment: between <see cref="FirstDate"/> and <see cref="LastDate"/>.</summary>
    public static string? Date(DateOnly value, string label) =>
        value < FirstDate || value > LastDate
            ? string.Create(CultureInfo.InvariantCulture, $"The {label} must be between {FirstDate:yyyy-MM-dd} and {LastDate:yyyy-MM-dd}.")
            : null;

    public static string? Email(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= 100 && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? null
            : "Enter an email address like name@example.com.";
    }

    public static string? Quantity(decimal value) =>
        value < 0 ? "Quantity cannot be negative."
        : decimal.Round(value, 4) != value ? "Quantity can have at most 4 decimal places."
        : value > 1_000_000 ? "Quantity can be at most 1,000,000."
        : null;

    public static string? Price(decimal value, string label = "Unit price") =>
        value < 0 ? $"{label} cannot be negative."
        : decimal.Round(value, 2) != value ? $"{label} can have at most 2 decimal places (cents)."
        : value > 100_000_000 ? $"{label} can be at most 100,000,000."
        : null;

    public static string? TaxRate(decimal percent) =>
        percent < 0 ? "Tax rate cannot be negative."
        : percent > 100 ? "Tax rate can be at most 100%."
        : decimal.Round(percent, 4) != percent ? "Tax rate can have at most 4 decimal places."
        : null;

    private static bool IsInvisible(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static string? Unreadable(string value, string label)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{label} contains a control character (U+{(int)c:X4}). Remove it.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"{label} contains half of a character (a broken emoji?). Type it again.";
            }
        }

        return null;
    }

    internal static string RequiredText(string? value, string label, int maxLength, string field)
    {
        Throw(Required(value, label, maxLength), field);
        return value!.Trim();
    }

    internal static string? OptionalText(string? value, string label, int maxLength, string field)
    {
        Throw(Optional(value, label, maxLength), field);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    internal static void Throw(string? error, string field)
    {
        if (error is not null)
        {
            throw new DomainRuleException(error, field);
        }
    }
}
