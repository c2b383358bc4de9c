namespace Jobkore.Core.QuickBooks.Models;

/// <summary>The connected company (docs/quickbooks-api.md §2 CompanyInfo; sample companyinfo.json).</summary>
public sealed record QboCompanyInfo : QboEntity
{
    public string? CompanyName { get; init; }

    public string? LegalName { get; init; }

    public string? Country { get; init; }

    public QboAddress? CompanyAddr { get; init; }

    public QboEmail? Email { get; init; }

    public QboPhone? PrimaryPhone { get; init; }

    public string? FiscalYearStartMonth { get; init; }

    public IReadOnlyList<QboNameValue>? NameValue { get; init; }
}
