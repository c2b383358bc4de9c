namespace Jobkore.Core.Domain;

/// <summary>A billing address; every part is optional.</summary>
public sealed record PostalAddress(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country)
{
    public static PostalAddress Empty { get; } = new(null, null, null, null, null, null);

    public bool IsEmpty => ToLines().Count == 0;

    /// <summary>The address as printed on an envelope, without empty lines.</summary>
    public IReadOnlyList<string> ToLines()
    {
        var cityLine = string.Join(" ", new[] { City is null ? null : City + (Region is null ? string.Empty : ","), Region, PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return new[] { Line1, Line2, cityLine, Country }.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!).ToList();
    }

    internal PostalAddress Normalized() => new(
        Rules.OptionalText(Line1, "Address line 1", 200, "Address.Line1"),
        Rules.OptionalText(Line2, "Address line 2", 200, "Address.Line2"),
        Rules.OptionalText(City, "City", 100, "Address.City"),
        Rules.OptionalText(Region, "State / region", 100, "Address.Region"),
        Rules.OptionalText(PostalCode, "Postal code", 30, "Address.PostalCode"),
        Rules.OptionalText(Country, "Country", 100, "Address.Country"));
}
