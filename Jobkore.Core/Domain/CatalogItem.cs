namespace Jobkore.Core.Domain;

/// <summary>What a person enters for a catalog item; <see cref="CatalogItem"/> checks it.</summary>
public sealed record CatalogItemDetails(string Name, string? Description, decimal UnitPrice, bool Taxable, bool Active);

/// <summary>A product or service the business sells; invoice lines can start from one.</summary>
public sealed class CatalogItem : IBusinessOwned
{
    /// <summary>QuickBooks limits an item name to 100 characters.</summary>
    public const int NameMaxLength = 100;

    private CatalogItem()
    {
        Name = string.Empty;
    }

    public CatalogItem(int businessId, CatalogItemDetails details, DateTimeOffset now)
        : this()
    {
        BusinessId = businessId;
        CreatedAt = now;
        Update(details, now);
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public decimal UnitPrice { get; private set; }

    public bool Taxable { get; private set; }

    public bool Active { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public CatalogItemDetails Details => new(Name, Description, UnitPrice, Taxable, Active);

    public void Update(CatalogItemDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Name = Rules.RequiredText(details.Name, "Name", NameMaxLength, nameof(Name));
        Description = Rules.OptionalText(details.Description, "Description", 4000, nameof(Description));
        Rules.Throw(Rules.Price(details.UnitPrice), nameof(UnitPrice));
        UnitPrice = details.UnitPrice;
        Taxable = details.Taxable;
        Active = details.Active;
        UpdatedAt = now;
    }
}
