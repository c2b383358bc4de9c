namespace Jobkore.Core.QuickBooks.Models;

/// <summary>
/// The entity slots a QBO response can fill: a single read or write wraps one (<c>{"Invoice":{…},"time":…}</c>),
/// a batch item and a query page use the same names. Entities the sync does not use are ignored.
/// </summary>
public abstract record QboEntities
{
    public QboCustomer? Customer { get; init; }

    public QboItem? Item { get; init; }

    public QboInvoice? Invoice { get; init; }

    public QboPayment? Payment { get; init; }

    public QboAccount? Account { get; init; }

    public QboCompanyInfo? CompanyInfo { get; init; }
}

/// <summary>The response to a read, create, update, delete or void: one entity, or a Fault.</summary>
public sealed record QboResponse : QboEntities
{
    public QboFault? Fault { get; init; }

    /// <summary>Server time with milliseconds and offset.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("time")]
    public DateTimeOffset? Time { get; init; }
}
