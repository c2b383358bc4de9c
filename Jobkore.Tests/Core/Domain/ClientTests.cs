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
