using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.Sync;

namespace Jobkore.Tests.Core.Sync;

public sealed class SyncErrorMessagesTests
{
    private static QuickBooksError Error(string? code, QuickBooksErrorKind kind = QuickBooksErrorKind.Validation, string? detail = null) =>
        new(kind, 400, code, null, "QuickBooks said no", detail, "tid-1");

    [Theory]
    [InlineData("6240", "QuickBooks already has a vendor or employee named 'Bob's Burgers'. Rename the client in Jobkore or in QuickBooks, then retry.")]
    [InlineData("6140", "QuickBooks already has another transaction numbered like client 'Bob's Burgers'. Change the number in Jobkore, then retry.")]
    [InlineData("5010", "Someone changed client 'Bob's Burgers' in QuickBooks while Jobkore was updating it. Retry to send Jobkore's version again.")]
    [InlineData("610", "Client 'Bob's Burgers' was deleted or made inactive in QuickBooks. Re-create it in QuickBooks from Jobkore, or make it active there, then retry.")]
    [InlineData("2500", "Client 'Bob's Burgers' refers to something that is inactive or missing in QuickBooks (an account, customer or item). Make it active in QuickBooks, then retry.")]
    [InlineData("6190", "The QuickBooks company's subscription has ended or has a billing problem. Sort it out in QuickBooks, then retry.")]
    [InlineData("6210", "The books are closed for the date of client 'Bob's Burgers' in QuickBooks. Change the closing date in QuickBooks or the date in Jobkore, then retry.")]
    [InlineData("3200", "QuickBooks no longer accepts Jobkore's sign-in. An admin can reconnect in Settings › Integrations; nothing waiting is lost.")]
    [InlineData("3100", "QuickBooks says Jobkore may not use this company any more. An admin can reconnect in Settings › Integrations.")]
    [InlineData("3001", "QuickBooks asked Jobkore to slow down and the wait ran out. It will be sent on the next sync; you can also retry.")]
    public void For_EachCodeWeCanMeet_SaysWhatToDo(string code, string expected)
    {
        SyncErrorMessages.For(Error(code), SyncSubject.Named("client", "Bob's Burgers")).ShouldBe(expected);
    }

    [Fact]
    public void ForVoidOfRemovedPayment_SaysQuickBooksStillHasIt_AndThatTheFixIsInQuickBooks()
    {
        var subject = new SyncSubject("payment", null, "the payment of 962.64 on 2026-11-03 removed from invoice INV-1042 in Jobkore");

        SyncErrorMessages.ForVoidOfRemovedPayment(Error("6210"), subject).ShouldBe(
            "QuickBooks still has the payment of 962.64 on 2026-11-03 removed from invoice INV-1042 in Jobkore: the books are closed for its date, so it could not be voided there. "
            + "Move the closing date in QuickBooks, or void the payment there yourself, then retry.");
        SyncErrorMessages.ForVoidOfRemovedPayment(Error("6000", detail: "Business Validation Error: This payment is deposited."), subject).ShouldBe(
            "QuickBooks still has the payment of 962.64 on 2026-11-03 removed from invoice INV-1042 in Jobkore: it refused to void it (This payment is deposited). "
            + "Void or delete the payment in QuickBooks yourself (a deposited payment comes out of its deposit first), then retry.");
        SyncErrorMessages.ForVoidOfRemovedPayment(Error(null, QuickBooksErrorKind.Transient), subject).ShouldBe(SyncErrorMessages.For(Error(null, QuickBooksErrorKind.Transient), subject));
    }

    [Fact]
    public void For_AccountPeriodClosedUnder5010_SaysTheBooksAreClosed_NotThatSomeoneChangedIt()
    {
        var error = new QuickBooksError(QuickBooksErrorKind.Validation, 400, "5010", null, "Account Period Closed", "The account period has closed. {1}", "tid-1");

        SyncErrorMessages.For(error, SyncSubject.Named("client", "Bob's Burgers")).ShouldStartWith("The books are closed for the date of client 'Bob's Burgers' in QuickBooks.");
    }

    [Fact]
    public void For_DuplicateName6240OfAnItem_SaysAnotherKindOfProductHasTheName()
    {
        SyncErrorMessages.For(Error("6240"), SyncSubject.Named("catalog item", "Hours"))
            .ShouldBe("QuickBooks already has a product, service or category named 'Hours'. Rename the catalog item in Jobkore or in QuickBooks, then retry.");
    }

    [Fact]
    public void For_DuplicateName6240OfARename_SaysAnotherCustomerOrItemMayHoldTheName()
    {
        SyncErrorMessages.For(Error("6240"), SyncSubject.Named("client", "Bob's Burgers"), isUpdate: true)
            .ShouldBe("QuickBooks already has another customer, a vendor or an employee named 'Bob's Burgers'. Rename the client in Jobkore or in QuickBooks, then retry.");
        SyncErrorMessages.For(Error("6240"), SyncSubject.Named("catalog item", "Hours"), isUpdate: true)
            .ShouldBe("QuickBooks already has another product, service or category named 'Hours'. Rename the catalog item in Jobkore or in QuickBooks, then retry.");
    }

    [Fact]
    public void NameStillHeld_NamesTheNameTheHolderAndThatItFollowsOnTheNextSync()
    {
        SyncErrorMessages.NameStillHeld(SyncSubject.Named("client", "Ana Ruiz"), "Ana Ruiz", SyncSubject.Named("client", "Ben Ortiz"))
            .ShouldBe("Client 'Ana Ruiz' was not renamed in QuickBooks: its new name 'Ana Ruiz' is still held there by the record of client 'Ben Ortiz', "
                + "whose own rename could not be sent. Fix that one first; this client follows on the next sync.");
    }

    [Fact]
    public void SameQboName_NamesTheNameTakenAndTheRecordToRename()
    {
        SyncErrorMessages.SameQboName(SyncSubject.Named("client", "duo- smith"), "Duo- Smith")
            .ShouldBe("Another Jobkore client already goes to QuickBooks as 'Duo- Smith'. QuickBooks needs names that differ by more than case, colons and spaces: rename client 'duo- smith' in Jobkore, then retry.");
    }

    [Fact]
    public void For_BusinessValidation6000_GivesQuickBooksReasonWithoutItsPrefix()
    {
        SyncErrorMessages.For(Error("6000", detail: "Business Validation Error: You must set a transaction amount."), new SyncSubject("invoice", null, "invoice INV-7"))
            .ShouldBe("QuickBooks refused invoice INV-7: You must set a transaction amount. Fix it in Jobkore or QuickBooks, then retry.");
    }

    [Fact]
    public void For_RequiredParameterMissing2020_NamesWhatIsMissing()
    {
        SyncErrorMessages.For(Error("2020", detail: "Required parameter Line is missing in the request"), new SyncSubject("invoice", null, "invoice INV-7"))
            .ShouldBe("QuickBooks says a required value of invoice INV-7 is missing: Required parameter Line is missing in the request. Fill it in Jobkore, then retry.");
    }

    [Fact]
    public void For_A5xx_SaysItWillBeSentLater()
    {
        SyncErrorMessages.For(Error("10000", QuickBooksErrorKind.Transient), new SyncSubject("invoice", null, "invoice INV-7"))
            .ShouldBe("QuickBooks could not be reached or had a problem of its own. It will be sent on the next sync; you can also retry.");
    }
}
