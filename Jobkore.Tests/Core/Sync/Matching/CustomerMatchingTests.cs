using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.Sync.Matching;

namespace Jobkore.Tests.Core.Sync.Matching;

public sealed class CustomerMatchingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static Client Client(string name, string? company = null, string? email = null, string? phone = null, string? postalCode = null) =>
        new(1, new ClientDetails(name, company, email, phone, postalCode is null ? PostalAddress.Empty : new PostalAddress("1 Main St", null, "Springfield", "IL", postalCode, "USA")), Now);

    private static QboCustomer Customer(string id, string name, string? email = null, string? phone = null, string? postalCode = null, bool active = true,
        string? company = null, string? given = null, string? family = null) => new()
    {
        Id = id, DisplayName = name, CompanyName = company, GivenName = given, FamilyName = family, Active = active,
        PrimaryEmailAddr = email is null ? null : new QboEmail(email),
        PrimaryPhone = phone is null ? null : new QboPhone(phone),
        BillAddr = postalCode is null ? null : new QboAddress { PostalCode = postalCode },
    };

    private static CustomerMatching Matching(params QboCustomer[] customers) => new(customers, new HashSet<string>(StringComparer.Ordinal));

    [Theory]
    [InlineData("Bob's Burgers", "Bob's Burgers Inc.")]
    [InlineData("Smith & Sons Construction", "Smith and Sons Construction, LLC")]
    [InlineData("Dr. Aisha Khan", "Aisha Khan")]
    [InlineData("Café Zoë", "cafe zoe")]
    [InlineData("The Willow Inn", "Willow  Inn")]
    [InlineData("Harbor Lofts: Unit 4", "Harbor Lofts - Unit 4")]
    public void Match_ANearName_IsALikelyMatch(string client, string customer)
    {
        var (kind, same, candidates) = Matching(Customer("7", customer)).Match(Client(client));

        (kind, same).ShouldBe((CustomerMatchKind.Likely, null));
        var candidate = candidates.ShouldHaveSingleItem();
        (candidate.QboId, candidate.DisplayName).ShouldBe(("7", customer));
        candidate.Reasons.ShouldBe(["a near name"]);
    }

    [Fact]
    public void Match_TheSameDisplayNameIgnoringCase_IsTheSameName_AsQuickBooksWouldRefuseASecond()
    {
        var (kind, same, candidates) = Matching(Customer("7", "MARIA O'BRIEN", email: "maria@example.com")).Match(Client("Maria O'Brien", email: "other@example.com"));

        kind.ShouldBe(CustomerMatchKind.SameName);
        same!.Id.ShouldBe("7");
        candidates.ShouldBeEmpty();
    }

    [Fact]
    public void Match_TheSameEmail_OrPhoneDigits_IsALikelyMatch_WhateverTheName()
    {
        var matching = Matching(
            Customer("1", "Bob Smith", email: "bob.smith@example.com"),
            Customer("2", "Jane Roe", phone: "+1 (555) 201-1037"));

        var bySmith = matching.Match(Client("Robert Smith", email: " bob.smith@example.com"));
        var byPhone = matching.Match(Client("J. Roe Plumbing Supply", phone: "555.201.1037"));

        bySmith.Candidates.ShouldHaveSingleItem().Reasons.ShouldBe(["the same email"]);
        bySmith.Candidates[0].QboId.ShouldBe("1");
        byPhone.Candidates.ShouldHaveSingleItem().Reasons.ShouldBe(["the same phone number"]);
        byPhone.Candidates[0].QboId.ShouldBe("2");
    }

    [Fact]
    public void Match_ThePostalCode_NeedsAWordOfTheNameInCommon()
    {
        var matching = Matching(Customer("1", "Patel Family", postalCode: "62 704"), Customer("2", "Someone Else", postalCode: "62704"));

        var candidates = matching.Match(Client("Patel Residence", postalCode: "62704")).Candidates;

        candidates.ShouldHaveSingleItem().QboId.ShouldBe("1");
        candidates[0].Reasons.ShouldBe(["the same postal code and a name in common"]);
        matching.Match(Client("Kowalski Family", postalCode: "99999")).Kind.ShouldBe(CustomerMatchKind.New);
    }

    [Fact]
    public void Match_NothingInCommon_IsNew_AndShortPhonesAndTitlesAloneMatchNothing()
    {
        var matching = Matching(Customer("1", "Dr.", phone: "12345"), Customer("2", "Cool Cars"));

        matching.Match(Client("Mr.", phone: "12345")).Kind.ShouldBe(CustomerMatchKind.New);
        matching.Match(Client("Yuki Tanaka")).Kind.ShouldBe(CustomerMatchKind.New);
    }

    [Fact]
    public void Match_OrdersCandidates_ByHowMuchTheyShare_ThenActiveFirst_AndNeverOffersACustomerLinkedToAnotherClient()
    {
        var customers = new[]
        {
            Customer("1", "Bob's Burgers LLC", active: false),
            Customer("2", "Bobs Burgers, Inc", email: "bob@burgers.example"),
            Customer("3", "Bob's Burgers Co"),
            Customer("4", "Bob's Burgers Inc."),
        };
        var matching = new CustomerMatching(customers, new HashSet<string>(["4"], StringComparer.Ordinal));

        var candidates = matching.Match(Client("Bob's Burgers", email: "bob@burgers.example")).Candidates;

        candidates.Select(c => (c.QboId, c.Active)).ShouldBe([("2", true), ("3", true), ("1", false)]);
        candidates[0].Reasons.ShouldBe(["a near name", "the same email"]);
    }

    [Fact]
    public void Match_TheClientsCompanyName_AndTheCustomersPersonNames_AreComparedToo()
    {
        var matching = Matching(Customer("1", "Belcher Family Restaurants Inc"), Customer("2", "B. Fontaine", given: "Elodie", family: "Fontaine", postalCode: "62716"));

        matching.Match(Client("Bob's Burgers", company: "Belcher Family Restaurants")).Candidates.ShouldHaveSingleItem().QboId.ShouldBe("1");
        matching.Match(Client("Élodie Fontaine", postalCode: "62716")).Candidates.ShouldHaveSingleItem().QboId.ShouldBe("2");
    }

    [Theory]
    [InlineData("Bob's Burgers, Inc.", "bobs burgers")]
    [InlineData("Smith & Sons", "smith and sons")]
    [InlineData("  Dr.   José   Núñez ", "jose nunez")]
    [InlineData("Inc.", null)]
    [InlineData("", null)]
    public void NormalizedName_IsTheNameAsPeopleMeanIt(string name, string? expected) => CustomerMatching.NormalizedName(name).ShouldBe(expected);

    [Theory]
    [InlineData("+1 (555) 201-1037", "5552011037")]
    [InlineData("201-1037", "2011037")]
    [InlineData("12-34", null)]
    [InlineData(null, null)]
    public void PhoneDigits_AreTheLastTenDigits_OrNoneWithFewerThanSeven(string? phone, string? expected) => CustomerMatching.PhoneDigits(phone).ShouldBe(expected);
}
