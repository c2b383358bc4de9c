using System.Globalization;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.Seed;

/// <summary>
/// The sandbox user's two companies (issue 13): a chart of accounts, payment methods, tax codes, a few customers —
/// one named exactly like a demo Jobkore client, to exercise linking — and a vendor named like another demo client,
/// to exercise 6240. A tenant's company in a shared sandbox is seeded like the first, and so are the extra companies
/// a developer's sandbox can be asked for (<see cref="QuickBooksSandboxOptions.ExtraCompanies"/>).
/// </summary>
internal static class SandboxSeed
{
    public const string AcmeRealmId = "9341452713218474";
    public const string AcmeCompanyName = "Acme Plumbing & Heating LLC";
    public const string SecondRealmId = "9341452713218475";
    public const string SecondCompanyName = "Sandbox Company US 2";
    /// <summary>The most extra companies a sandbox seeds; their realm ids follow the second company's, up to this many.</summary>
    public const int MaxExtraCompanies = 1_000;
    private const string AcmeVendor = "Bob's Burgers";
    private const int CompanyNameLimit = 100;
    private static readonly string[] s_acmeCustomers = ["Maria O'Brien", "Amy's Bird Sanctuary", "Cool Cars"];

    public static void Seed(SandboxState state, DateTimeOffset now)
    {
        state.Companies[AcmeRealmId] = Company(AcmeRealmId, AcmeCompanyName, now, s_acmeCustomers, AcmeVendor);
        state.Companies[SecondRealmId] = Company(SecondRealmId, SecondCompanyName, now, ["Geeta Kalapatapu", "Jeff's Jalopies"], "Norton Lumber and Building Materials");
    }

    /// <summary>
    /// Adds the first <paramref name="count"/> extra companies that <paramref name="state"/> does not have yet — "Sandbox
    /// Company US 3" on, realm ids 9341452713218476 on, each seeded like Acme — and returns those it added.
    /// </summary>
    public static IReadOnlyList<SandboxCompany> SeedExtra(SandboxState state, int count, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxExtraCompanies);
        var added = new List<SandboxCompany>();
        for (var i = 0; i < count; i++)
        {
            var realmId = ExtraRealmId(i);
            if (!state.Companies.ContainsKey(realmId))
            {
                var company = Company(realmId, string.Create(CultureInfo.InvariantCulture, $"Sandbox Company US {i + 3}"), now, s_acmeCustomers, AcmeVendor);
                state.Companies[realmId] = company;
                added.Add(company);
            }
        }

        return added;
    }

    /// <summary>The realm id of extra company <paramref name="index"/> (0 for the first): the next numbers after the second company's.</summary>
    public static string ExtraRealmId(int index) => (long.Parse(SecondRealmId, CultureInfo.InvariantCulture) + 1 + index).ToString(CultureInfo.InvariantCulture);

    /// <summary>A tenant's own company, named after the tenant (cut to QBO's 100 characters) and seeded like Acme.</summary>
    public static SandboxCompany TenantCompany(string realmId, Tenancy.SandboxTenant tenant, DateTimeOffset now)
    {
        var name = string.IsNullOrWhiteSpace(tenant.CompanyName) ? "Sandbox company" : tenant.CompanyName.Trim();
        return Company(realmId, name.Length > CompanyNameLimit ? name[..CompanyNameLimit] : name, now, s_acmeCustomers, AcmeVendor, tenant.Id);
    }

    /// <summary>True for the realm ids of the seeded companies and of every possible extra one, which a tenant's company never takes.</summary>
    public static bool IsSeededRealm(string realmId) =>
        realmId is AcmeRealmId or SecondRealmId
        || (long.TryParse(realmId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number > long.Parse(SecondRealmId, CultureInfo.InvariantCulture) && number <= long.Parse(ExtraRealmId(MaxExtraCompanies - 1), CultureInfo.InvariantCulture));

    private static SandboxCompany Company(string realmId, string name, DateTimeOffset now, string[] customers, string vendor, string? tenant = null)
    {
        var company = new SandboxCompany(realmId, name) { Tenant = tenant };
        var meta = new JsonObject { ["CreateTime"] = Json.MetaTime(now), ["LastUpdatedTime"] = Json.MetaTime(now) };
        JsonObject Add(string entity, JsonObject record)
        {
            record["Id"] = company.TakeId();
            record["SyncToken"] = "0";
            record["domain"] = "QBO";
            record["sparse"] = false;
            record["MetaData"] = meta.DeepClone();
            company.Restore(entity, record);
            return record;
        }

        foreach (var (accountName, type, subType, classification) in new[]
        {
            ("Checking", "Bank", "Checking", "Asset"),
            ("Savings", "Bank", "Savings", "Asset"),
            ("Undeposited Funds", "Other Current Asset", "UndepositedFunds", "Asset"),
            ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable", "Asset"),
            ("Services", "Income", "ServiceFeeIncome", "Revenue"),
            ("Sales of Product Income", "Income", "SalesOfProductIncome", "Revenue"),
            ("Discounts given", "Income", "DiscountsRefundsGiven", "Revenue"),
        })
        {
            Add("Account", new JsonObject
            {
                ["Name"] = accountName, ["FullyQualifiedName"] = accountName, ["AccountType"] = type, ["AccountSubType"] = subType,
                ["Classification"] = classification, ["Active"] = true, ["SubAccount"] = false, ["CurrentBalance"] = 0m,
                ["CurrencyRef"] = Json.Ref("USD", "United States Dollar"),
            });
        }

        foreach (var method in new[] { "Cash", "Check", "Credit Card", "Bank Transfer", "Other" })
        {
            Add("PaymentMethod", new JsonObject { ["Name"] = method, ["Active"] = true, ["Type"] = method == "Credit Card" ? "CREDIT_CARD" : "NON_CREDIT_CARD" });
        }

        company.Restore("TaxCode", new JsonObject { ["Id"] = "TAX", ["Name"] = "TAX", ["Description"] = "Taxable", ["Active"] = true, ["Taxable"] = true, ["SyncToken"] = "0", ["domain"] = "QBO" });
        company.Restore("TaxCode", new JsonObject { ["Id"] = "NON", ["Name"] = "NON", ["Description"] = "Non-taxable", ["Active"] = true, ["Taxable"] = false, ["SyncToken"] = "0", ["domain"] = "QBO" });

        foreach (var customer in customers)
        {
            Add("Customer", new JsonObject
            {
                ["DisplayName"] = customer, ["FullyQualifiedName"] = customer, ["PrintOnCheckName"] = customer, ["Active"] = true, ["Balance"] = 0m,
                ["BalanceWithJobs"] = 0m, ["Taxable"] = false, ["Job"] = false, ["BillWithParent"] = false, ["PreferredDeliveryMethod"] = "Print",
                ["CurrencyRef"] = Json.Ref("USD", "United States Dollar"),
            });
        }

        Add("Vendor", new JsonObject { ["DisplayName"] = vendor, ["PrintOnCheckName"] = vendor, ["Active"] = true, ["Balance"] = 0m });
        Add("Employee", new JsonObject { ["DisplayName"] = "Emily Platt", ["GivenName"] = "Emily", ["FamilyName"] = "Platt", ["Active"] = true });
        var services = company.Set("Account").Values.First(a => a.Str("Name") == "Services");
        Add("Item", new JsonObject
        {
            ["Name"] = "Hours", ["FullyQualifiedName"] = "Hours", ["Type"] = "Service", ["UnitPrice"] = 0m, ["Active"] = true, ["Taxable"] = false,
            ["TrackQtyOnHand"] = false, ["IncomeAccountRef"] = Json.Ref(services.Str("Id")!, "Services"),
        });
        company.Restore("CompanyInfo", new JsonObject
        {
            ["Id"] = "1", ["SyncToken"] = "0", ["domain"] = "QBO", ["sparse"] = false, ["CompanyName"] = name, ["LegalName"] = name, ["Country"] = "US",
            ["Email"] = new JsonObject { ["Address"] = "books@example.com" }, ["FiscalYearStartMonth"] = "January", ["SupportedLanguages"] = "en",
            ["NameValue"] = new JsonArray(new JsonObject { ["Name"] = "SubscriptionStatus", ["Value"] = "PAID" }, new JsonObject { ["Name"] = "OfferingSku", ["Value"] = "QuickBooks Online Plus" }),
            ["MetaData"] = meta.DeepClone(),
        });
        return company;
    }
}
