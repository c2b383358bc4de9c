using System.Globalization;
using Jobkore.Core.Businesses;
using Jobkore.Core.Domain;

namespace Jobkore.Web.Formatting;

/// <summary>Shows money in the business's currency and times in its time zone.</summary>
public sealed class BusinessFormatter
{
    private static readonly CultureInfo s_display = CultureInfo.GetCultureInfo("en-US");

    // Finding a currency's symbol walks every culture; do it once per currency, not once per circuit.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_symbols = new(StringComparer.Ordinal);
    private readonly ICurrentBusiness _business;
    private readonly Lazy<NumberFormatInfo> _money;

    public BusinessFormatter(ICurrentBusiness business)
    {
        _business = business;
        _money = new Lazy<NumberFormatInfo>(() => MoneyFormat(business.Profile.Currency));
    }

    public string Currency => _business.Profile.Currency;

    public string CurrencySymbol => _money.Value.CurrencySymbol;

    public string Money(decimal amount) => amount.ToString("C", _money.Value);

    public string Date(DateOnly date) => date.ToString("MMM d, yyyy", s_display);

    public string Instant(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, _business.Profile.TimeZone).ToString("MMM d, yyyy h:mm tt", s_display);

    public string Number(decimal value) => value.ToString("0.####", s_display);

    public static string Status(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => "Draft",
        InvoiceStatus.Sent => "Sent",
        InvoiceStatus.PartiallyPaid => "Partially paid",
        InvoiceStatus.Paid => "Paid",
        InvoiceStatus.Void => "Void",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Method(PaymentMethod method) => method switch
    {
        PaymentMethod.Cash => "Cash",
        PaymentMethod.Check => "Check",
        PaymentMethod.Card => "Card",
        PaymentMethod.BankTransfer => "Bank transfer",
        PaymentMethod.Other => "Other",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    private static NumberFormatInfo MoneyFormat(string currency)
    {
        var format = (NumberFormatInfo)s_display.NumberFormat.Clone();
        format.CurrencySymbol = s_symbols.GetOrAdd(currency, SymbolFor);
        format.CurrencyNegativePattern = 1; // -$n
        return format;
    }

    private static string SymbolFor(string currency)
    {
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (region.ISOCurrencySymbol == currency)
            {
                // Dollars other than the US dollar carry their code so they cannot be mistaken for USD.
                return currency != "USD" && region.CurrencySymbol == "$" ? currency[..2] + "$" : region.CurrencySymbol;
            }
        }

        return currency + " ";
    }
}
