using System.Globalization;
using System.Text;
using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.SyncState;

namespace Jobkore.Core.Sync.Matching;

/// <summary>What the company's customers say about one client not linked yet.</summary>
public enum CustomerMatchKind
{
    /// <summary>No customer looks like it: a new customer is created.</summary>
    New,

    /// <summary>A customer has its display name (QuickBooks compares names ignoring case): it is linked, as it always was.</summary>
    SameName,

    /// <summary>One or more customers likely are it: an admin reviews them before the client is sent.</summary>
    Likely,
}

/// <summary>
/// Compares a client with the company's customers (read once, active and inactive) the way a person would: names
/// ignoring case, spaces, punctuation, "&amp;"/"and", titles and legal suffixes ("Bob's Burgers" and "Bob's Burgers,
/// Inc."); the email; the digits of the phone; and the postal code with a name in common. A customer with the
/// client's display name is the same name (linked as QuickBooks would refuse a second); any other that shares a near
/// name, the email or the phone, or the postal code and a word of the name, is a likely match.
/// </summary>
public sealed class CustomerMatching
{
    /// <summary>Words that say nothing about who a customer is.</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "the",
        "inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company", "plc", "lp", "llp", "pllc", "gmbh",
    };

    private readonly Dictionary<string, QboCustomer> _byDisplayName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<QboCustomer>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QboCustomer>> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<QboCustomer>> _byPhone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QboCustomer>> _byPostalCode = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _linked;

    /// <param name="customers">The company's customers, active and inactive: indexed once, for any number of clients.</param>
    /// <param name="linked">
    /// Customers already linked to another Jobkore client: never offered. Read at each <see cref="Match"/>, so a caller
    /// that links customers as it goes (the sync) keeps one matcher and adds to the set.
    /// </param>
    public CustomerMatching(IEnumerable<QboCustomer> customers, IReadOnlySet<string> linked)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(linked);
        _linked = linked;
        foreach (var customer in customers)
        {
            if (customer.Id is null || customer.DisplayName is null)
            {
                continue;
            }

            _byDisplayName.TryAdd(customer.DisplayName, customer);
            Add(_byName, NormalizedName(customer.DisplayName), customer);
            Add(_byName, NormalizedName(customer.CompanyName), customer);
            Add(_byEmail, Email(customer.PrimaryEmailAddr?.Address), customer);
            Add(_byPhone, PhoneDigits(customer.PrimaryPhone?.FreeFormNumber), customer);
            Add(_byPostalCode, PostalCode(customer.BillAddr?.PostalCode), customer);
        }
    }

    /// <summary>What the customers say about <paramref name="client"/>: the customer of its name, or its likely matches, likeliest first.</summary>
    public (CustomerMatchKind Kind, QboCustomer? SameName, IReadOnlyList<CustomerCandidate> Candidates) Match(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_byDisplayName.TryGetValue(QboNames.DisplayName(client.DisplayName), out var same))
        {
            return (CustomerMatchKind.SameName, same, []);
        }

        var reasons = new Dictionary<string, (QboCustomer Customer, List<string> Reasons)>(StringComparer.Ordinal);
        void Found(IEnumerable<QboCustomer>? customers, Func<QboCustomer, string> reason)
        {
            foreach (var customer in (customers ?? []).Where(c => !_linked.Contains(c.Id!)))
            {
                if (!reasons.TryGetValue(customer.Id!, out var found))
                {
                    reasons[customer.Id!] = found = (customer, []);
                }

                var why = reason(customer);
                if (!found.Reasons.Contains(why))
                {
                    found.Reasons.Add(why);
                }
            }
        }

        var names = new[] { NormalizedName(client.DisplayName), NormalizedName(client.CompanyName) }.OfType<string>().Distinct().ToList();
        foreach (var name in names)
        {
            Found(_byName.GetValueOrDefault(name), _ => "a near name");
        }

        if (Email(client.Email) is { } email)
        {
            Found(_byEmail.GetValueOrDefault(email), _ => "the same email");
        }

        if (PhoneDigits(client.Phone) is { } phone)
        {
            Found(_byPhone.GetValueOrDefault(phone), _ => "the same phone number");
        }

        if (PostalCode(client.BillingAddress.PostalCode) is { } postalCode)
        {
            var words = names.SelectMany(n => n.Split(' ')).Where(w => w.Length >= 3).ToHashSet(StringComparer.Ordinal);
            Found(_byPostalCode.GetValueOrDefault(postalCode)?.Where(c => Words(c).Overlaps(words)), _ => "the same postal code and a name in common");
        }

        var candidates = reasons.Values
            .OrderByDescending(f => f.Reasons.Count).ThenBy(f => f.Customer.Active == false).ThenBy(f => f.Customer.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(CustomerMatch.MaxCandidates)
            .Select(f => new CustomerCandidate(f.Customer.Id!, f.Customer.DisplayName!, f.Customer.PrimaryEmailAddr?.Address, f.Customer.PrimaryPhone?.FreeFormNumber,
                f.Customer.BillAddr?.PostalCode, f.Customer.Active != false, f.Reasons))
            .ToList();
        return candidates.Count == 0 ? (CustomerMatchKind.New, null, []) : (CustomerMatchKind.Likely, null, candidates);
    }

    /// <summary>
    /// A name as people mean it: lower case, "&amp;" as "and", apostrophes dropped, other punctuation as spaces, and
    /// without titles and legal suffixes; null when nothing is left.
    /// </summary>
    public static string? NormalizedName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var text = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(c);
            }
            else if (c == '&')
            {
                text.Append(" and ");
            }
            else if (c is '\'' or '’' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // "Bob's" is "Bobs"; an accent is its letter.
            }
            else
            {
                text.Append(' ');
            }
        }

        var words = text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Noise.Contains(w)).ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }

    /// <summary>The last ten digits of a phone number (the country code left out); null with fewer than seven.</summary>
    public static string? PhoneDigits(string? phone)
    {
        var digits = new string([.. (phone ?? string.Empty).Where(char.IsAsciiDigit)]);
        return digits.Length < 7 ? null : digits[Math.Max(0, digits.Length - 10)..];
    }

    /// <summary>A postal code in upper case without spaces or dashes; null when empty.</summary>
    public static string? PostalCode(string? code)
    {
        var kept = new string([.. (code ?? string.Empty).Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        return kept.Length == 0 ? null : kept;
    }

    private static string? Email(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim();

    private static HashSet<string> Words(QboCustomer customer) =>
        new[] { NormalizedName(customer.DisplayName), NormalizedName(customer.CompanyName), NormalizedName(customer.GivenName), NormalizedName(customer.FamilyName) }
            .OfType<string>().SelectMany(n => n.Split(' ')).Where(w => w.Length >= 3).ToHashSet(StringComparer.Ordinal);

    private static void Add(Dictionary<string, List<QboCustomer>> index, string? key, QboCustomer customer)
    {
        if (key is null)
        {
            return;
        }

        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        if (!list.Contains(customer))
        {
            list.Add(customer);
        }
    }
}
