namespace Jobkore.Core.Domain;

/// <summary>What a person enters for a client; <see cref="Client"/> checks it.</summary>
public sealed record ClientDetails(string DisplayName, string? CompanyName, string? Email, string? Phone, PostalAddress BillingAddress);

/// <summary>A customer of the business; invoices are billed to a client.</summary>
public sealed class Client : IBusinessOwned
{
    public const int DisplayNameMaxLength = 100;

    private Client()
    {
        DisplayName = string.Empty;
        BillingAddress = PostalAddress.Empty;
    }

    public Client(int businessId, ClientDetails details, DateTimeOffset now)
        : this()
    {
        BusinessId = businessId;
        CreatedAt = now;
        Update(details, now);
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public string DisplayName { get; private set; }

    public string? CompanyName { get; private set; }

    public string? Email { get; private set; }

    public string? Phone { get; private set; }

    public PostalAddress BillingAddress { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public ClientDetails Details => new(DisplayName, CompanyName, Email, Phone, BillingAddress);

    public void Update(ClientDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        DisplayName = Rules.RequiredText(details.DisplayName, "Display name", DisplayNameMaxLength, nameof(DisplayName));
        CompanyName = Rules.OptionalText(details.CompanyName, "Company", 100, nameof(CompanyName));
        Rules.Throw(Rules.Email(details.Email), nameof(Email));
        Email = string.IsNullOrWhiteSpace(details.Email) ? null : details.Email.Trim();
        Phone = Rules.OptionalText(details.Phone, "Phone", 30, nameof(Phone));
        BillingAddress = (details.BillingAddress ?? PostalAddress.Empty).Normalized();
        UpdatedAt = now;
    }
}
