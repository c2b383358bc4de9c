using System.Globalization;

namespace Jobkore.Core.Invoices;

internal static class InvoiceNumbers
{
    /// <summary>
    /// The next number after the highest trailing number among <paramref name="existing"/>, keeping that number's
    /// prefix and zero padding ("INV-0099" → "INV-0100"); null when no number ends in digits.
    /// </summary>
    public static string? Next(IEnumerable<string> existing)
    {
        (string Prefix, long Value, int Width)? best = null;
        foreach (var number in existing)
        {
            var digits = 0;
            while (digits < number.Length && char.IsAsciiDigit(number[number.Length - 1 - digits]))
            {
                digits++;
            }

            if (digits == 0 || digits > 18)
            {
                continue;
            }

            var value = long.Parse(number.AsSpan(number.Length - digits), CultureInfo.InvariantCulture);
            if (best is null || value > best.Value.Value)
            {
                best = (number[..^digits], value, digits);
            }
        }

        return best is { } b ? b.Prefix + (b.Value + 1).ToString(CultureInfo.InvariantCulture).PadLeft(b.Width, '0') : null;
    }
}
