using Jobkore.Core.Domain;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Domain;

public sealed class ClientTests
{
    [Fact]
    public void Constructor_TrimsTextAndDropsBlankOptionalFields()
    {
        var sut = new Client(1, new ClientDetails("  Maria O'Brien ", " ", " maria@example.com ", "", new PostalAddress(" 1 Elm St ", "", "Springfield", "IL", "62701", null)), TestServices.Now);

        sut.DisplayName.ShouldBe("Maria O'Brien");
        sut.CompanyName.ShouldBeNull();
        sut.Email.ShouldBe("maria@example.com");
        sut.Phone.ShouldBeNull();
        sut.BillingAddress.ShouldBe(new PostalAddress("1 Elm St", null, "Springfield", "IL", "62701", null));
        sut.BillingAddress.ToLines().ShouldBe(["1 Elm St", "Springfield, IL 62701"]);
    }

    [Theory]
    [InlineData("", "Display name is required.")]
    [InlineData("  ", "Display name is required.")]
    [InlineData("\t\r\n", "Display name is required.")]
    [InlineData("\u200B\u200B", "Display name is required.")]
    public void Constructor_NoName_IsRefused(string name, string message)
    {
        var ex = Should.Throw<DomainRuleException>(() => new Client(1, Drafts.Client(name), TestServices.Now));

        ex.Message.ShouldBe(message);
        ex.Field.ShouldBe("DisplayName");
    }

    [Fact]
    public void Constructor_NameTooLong_SaysTheLimit()
    {
        Should.Throw<DomainRuleException>(() => new Client(1, Drafts.Client(new string('a', 101)), TestServices.Now))
            .Message.ShouldBe("Display name can be at most 100 characters.");
    }

    [Theory]
    [InlineData("Bell\u0007 Co", "Display name contains a control character (U+0007). Remove it.")]
    [InlineData("Nul\u0000", "Display name contains a control character (U+0000). Remove it.")]
    public void Constructor_ControlCharacter_SaysWhichToRemove(string name, string message)
    {
        var ex = Should.Throw<DomainRuleException>(() => new Client(1, Drafts.Client(name), TestServices.Now));

        ex.Message.ShouldBe(message);
        ex.Field.ShouldBe("DisplayName");
    }

    [Fact]
    public void Constructor_HalfAnEmoji_AsksToTypeItAgain()
    {
        // Built here: an attribute argument cannot carry a lone surrogate (it is stored as UTF-8).
        string[] broken = ["Broken " + '\uD83D' + " emoji", "Broken " + '\uDCA7', "\U0001F4A7"[..1]];

        broken.ShouldAllBe(name => Should.Throw<DomainRuleException>(() => new Client(1, Drafts.Client(name), TestServices.Now)).Message
            == "Display name contains half of a character (a broken emoji?). Type it again.");
    }

    [Theory]
    [InlineData("Tab\tand\nnewline", "Tab\tand\nnewline")]
    [InlineData("Drip 🚰💧 👨‍👩‍👧", "Drip 🚰💧 👨‍👩‍👧")]
    [InlineData("\u200BZero width inside", "\u200BZero width inside")]
    public void Constructor_TabsLineBreaksAndWholeEmoji_AreKept(string name, string stored)
    {
        new Client(1, Drafts.Client(name), TestServices.Now).DisplayName.ShouldBe(stored);
    }

    [Theory]
    [InlineData("maria")]
    [InlineData("maria@")]
    [InlineData("Maria <maria@example.com>")]
    [InlineData("maria@localhost")]
    public void Constructor_BadEmail_SaysWhatAnEmailLooksLike(string email)
    {
        Should.Throw<DomainRuleException>(() => new Client(1, Drafts.Client("Maria") with { Email = email }, TestServices.Now))
            .Message.ShouldBe("Enter an email address like name@example.com.");
    }

    [Fact]
    public void Update_ChangesDetailsAndUpdatedAt()
    {
        var sut = new Client(1, Drafts.Client("Maria"), TestServices.Now);

        sut.Update(Drafts.Client("Maria O'Brien") with { CompanyName = "O'Brien & Co" }, TestServices.Now.AddHours(1));

        sut.Details.ShouldBe(new ClientDetails("Maria O'Brien", "O'Brien & Co", null, null, PostalAddress.Empty));
        sut.UpdatedAt.ShouldBe(TestServices.Now.AddHours(1));
        sut.CreatedAt.ShouldBe(TestServices.Now);
    }
}
