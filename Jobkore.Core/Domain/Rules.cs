using System.Net.Mail;

namespace Jobkore.Core.Domain;

/// <summary>
/// Field rules shared by the entities (which throw) and the forms (which show the message next to the field).
/// Each returns null when the value is fine, or a message that says what to fix.
/// </summary>
public static class Rules
{
    public static string? Required(string? value, string label, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? $"{label} is required."
        : value.Trim().Length > maxLength ? $"{label} can be at most {maxLength} characters."
        : null;

    public static string? Optional(string? value, string label, int maxLength) =>
        value is not null && value.Trim().Length > maxLength ? $"{label} can be at most {maxLength} characters." : null;

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
