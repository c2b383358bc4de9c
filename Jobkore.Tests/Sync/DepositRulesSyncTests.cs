using System.Text.Json.Nodes;
using Jobkore.Core.Data;
using Jobkore.Core.Domain;
using Jobkore.Core.Payments;
using Jobkore.Core.QuickBooks.Settings;
using Jobkore.Core.Sync;
using Jobkore.Core.Sync.Changes;
using Jobkore.Core.SyncState;
using Jobkore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Sync;

/// <summary>
/// A deposit account per payment method, against the built-in sandbox over real HTTP on the demo business: each
/// payment lands in its method's account (else the default), with its QuickBooks payment method, checked in the
/// sandbox's books field by field; a changed rule moves nothing already in QuickBooks.
/// </summary>
public sealed class DepositRulesSyncTests
{
    private const string Realm = QuickBooksApp.AcmeRealm;

    /// <summary>The QuickBooks payment method each Jobkore method is, by the names the sandbox's company has.</summary>
    private static readonly Dictionary<PaymentMethod, string> s_qboMethodNames = new()
    {
        [PaymentMethod.Cash] = "Cash", [PaymentMethod.Check] = "Check", [PaymentMethod.Card] = "Credit Card",
        [PaymentMethod.BankTransfer] = "Bank Transfer", [PaymentMethod.Other] = "Other",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CardToChecking_CashToUndepositedFunds_DefaultSavings_EveryPaymentIsInItsMethodsAccount_WithItsMethod()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var accounts = await ChartAsync(app);
        await SaveAsync(app, accounts["Savings"], new() { [PaymentMethod.Card] = accounts["Checking"], [PaymentMethod.Cash] = accounts["Undeposited Funds"] });
        var card = await RecordOnOpenInvoiceAsync(app, PaymentMethod.Card, "VISA-4242");
        var cash = await RecordOnOpenInvoiceAsync(app, PaymentMethod.Cash, null);

        await SyncAllAsync(app);

        var sandbox = await app.SandboxAsync();
        var sent = await SentPaymentsAsync(app, sandbox);
        sent.Select(p => p.Payment.Method).Distinct().Count().ShouldBe(5, "the demo business has payments of every method");
        foreach (var (payment, row) in sent)
        {
            var expected = payment.Method switch
            {
                PaymentMethod.Card => "Checking",
                PaymentMethod.Cash => "Undeposited Funds",
                _ => "Savings",
            };
            ShouldBeDepositedTo(row, accounts, expected, payment);
            ShouldHaveMethod(row, sandbox, payment);
        }

        sent.Single(p => p.Payment.Id == card).Row["PaymentRefNum"]!.GetValue<string>().ShouldBe("VISA-4242");
        ShouldBeDepositedTo(sent.Single(p => p.Payment.Id == card).Row, accounts, "Checking", null);
        ShouldBeDepositedTo(sent.Single(p => p.Payment.Id == cash).Row, accounts, "Undeposited Funds", null);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ChangingTheRules_LeavesPaymentsInQuickBooksAlone_AndAppliesToTheNextPayment()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var accounts = await ChartAsync(app);
        await SaveAsync(app, null, new() { [PaymentMethod.Card] = accounts["Checking"], [PaymentMethod.Cash] = accounts["Undeposited Funds"] });
        await RecordOnOpenInvoiceAsync(app, PaymentMethod.Card, "first card");
        await SyncAllAsync(app);
        var before = await app.SandboxAsync();
        var whenSent = (await SentPaymentsAsync(app, before)).ToDictionary(p => p.Payment.Id, p => p.Row["DepositToAccountRef"]!["value"]!.GetValue<string>());
        var pendingBefore = await PendingAsync(app);

        await SaveAsync(app, accounts["Checking"], new() { [PaymentMethod.Card] = accounts["Savings"], [PaymentMethod.Check] = accounts["Savings"] });

        (await PendingAsync(app)).ShouldBe(pendingBefore, "a changed rule makes no payment in QuickBooks edited");
        (await SyncAllAsync(app)).Synced.ShouldBe(0);
        var after = await app.SandboxAsync();
        QuickBooksApp.Rows(after, "Payment").Select(p => p.ToJsonString()).ShouldBe(QuickBooksApp.Rows(before, "Payment").Select(p => p.ToJsonString()),
            "nothing in QuickBooks moved");
        (await QuickBooksOracle.MismatchesAsync(app, Realm, null, whenSent, Ct)).ShouldBeEmpty();

        var nextCard = await RecordOnOpenInvoiceAsync(app, PaymentMethod.Card, "next card");
        var nextCash = await RecordOnOpenInvoiceAsync(app, PaymentMethod.Cash, "next cash");
        await SyncAllAsync(app);

        var books = await app.SandboxAsync();
        var sent = await SentPaymentsAsync(app, books);
        ShouldBeDepositedTo(sent.Single(p => p.Payment.Id == nextCard).Row, accounts, "Savings", null);
        ShouldBeDepositedTo(sent.Single(p => p.Payment.Id == nextCash).Row, accounts, "Checking", null, "cash has no rule now: the new default");
        foreach (var (payment, row) in sent.Where(p => whenSent.ContainsKey(p.Payment.Id)))
        {
            row["DepositToAccountRef"]!["value"]!.GetValue<string>().ShouldBe(whenSent[payment.Id], $"payment {payment.Id} stays where it was sent");
        }

        (await QuickBooksOracle.MismatchesAsync(app, Realm, null, whenSent, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PaymentSentAgain_AfterABookkeepersChange_KeepsItsAccount_WhateverTheRuleSaysNow()
    {
        await using var app = await QuickBooksApp.ConnectedAsync(settings: new() { ["QuickBooks:Webhooks:Enabled"] = "true", ["QuickBooks:Webhooks:BatchWindow"] = "00:00:00.100" });
        var accounts = await ChartAsync(app);
        await SaveAsync(app, null, new() { [PaymentMethod.Card] = accounts["Checking"] });
        var card = await RecordOnOpenInvoiceAsync(app, PaymentMethod.Card, "card");
        await SyncAllAsync(app);
        var qboId = (await RecordAsync(app, card)).QboId!;
        var whenSent = (await SentPaymentsAsync(app, await app.SandboxAsync())).ToDictionary(p => p.Payment.Id, p => p.Row["DepositToAccountRef"]!["value"]!.GetValue<string>());
        whenSent[card].ShouldBe(accounts["Checking"]);
        await SaveAsync(app, null, new() { [PaymentMethod.Card] = accounts["Savings"] });

        await app.AsQuickBooksUserAsync($"payment/{qboId}/update", new JsonObject { ["PrivateNote"] = "Bookkeeper's note" });
        await WaitForStatusAsync(app, card, SyncStatus.ChangedInQuickBooks);
        await using (var scope = app.SignedInScope())
        {
            (await scope.ServiceProvider.GetRequiredService<QuickBooksChangeChoices>().SendJobkoreVersionAsync(SyncEntityType.Payment, card, Ct))!
                .Outcome.ShouldBe(SyncRunOutcome.Completed);
        }

        var row = QuickBooksApp.Rows(await app.SandboxAsync(), "Payment").Single(p => (string?)p["Id"] == qboId);
        row["PrivateNote"].ShouldBeNull("Jobkore's version was sent");
        ShouldBeDepositedTo(row, accounts, "Checking", null, "a payment QuickBooks holds keeps its account");
        (await StatusAsync(app, card)).ShouldBe(SyncStatus.UpToDate);
        (await QuickBooksOracle.MismatchesAsync(app, Realm, null, whenSent, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rules_AreCheckedAgainstTheChart_AndBelongToTheirCompany()
    {
        await using var app = await QuickBooksApp.ConnectedAsync();
        var accounts = await ChartAsync(app);

        var income = await Should.ThrowAsync<DomainRuleException>(() => SaveAsync(app, null, new() { [PaymentMethod.Check] = accounts["Services"] }));
        income.Message.ShouldBe("The chosen deposit account for check payments is not in this QuickBooks company any more. Press refresh and choose again.");
        await Should.ThrowAsync<DomainRuleException>(() => SaveAsync(app, null, new() { [PaymentMethod.BankTransfer] = "999999" }));
        await SaveAsync(app, null, new() { [PaymentMethod.BankTransfer] = accounts["Savings"] });

        await using var scope = app.SignedInScope();
        var settings = scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>();
        (await settings.GetAsync(Realm, Ct)).DepositRules.ShouldBe(new Dictionary<PaymentMethod, ChosenAccount>
        {
            [PaymentMethod.BankTransfer] = new(Realm, accounts["Savings"], "Savings"),
        });
        (await settings.GetAsync("4620816365157002117", Ct)).DepositRules.ShouldBeEmpty("a rule chosen in another company counts as not chosen");
        (await settings.GetAsync("4620816365157002117", Ct)).DepositAccountFor(PaymentMethod.BankTransfer).ShouldBeNull();
    }

    private static void ShouldBeDepositedTo(JsonObject row, Dictionary<string, string> accounts, string name, Payment? payment, string? why = null)
    {
        var label = payment is null ? why : $"{payment.Method} payment {payment.Id}";
        row["DepositToAccountRef"]!["value"]!.GetValue<string>().ShouldBe(accounts[name], label);
        row["DepositToAccountRef"]!["name"]!.GetValue<string>().ShouldBe(name, label);
    }

    private static void ShouldHaveMethod(JsonObject row, JsonObject sandbox, Payment payment)
    {
        var method = QuickBooksApp.Rows(sandbox, "PaymentMethod").Single(m => (string?)m["Name"] == s_qboMethodNames[payment.Method]);
        row["PaymentMethodRef"]!["value"]!.GetValue<string>().ShouldBe((string)method["Id"]!, $"{payment.Method} payment {payment.Id}");
    }

    private static async Task<Dictionary<string, string>> ChartAsync(QuickBooksApp app) =>
        QuickBooksApp.Rows(await app.SandboxAsync(), "Account").ToDictionary(a => (string)a["Name"]!, a => (string)a["Id"]!);

    private static async Task SaveAsync(QuickBooksApp app, string? defaultAccount, Dictionary<PaymentMethod, string> rules)
    {
        await using var scope = app.SignedInScope();
        await scope.ServiceProvider.GetRequiredService<QuickBooksSettingsService>()
            .SaveAsync(Realm, new QuickBooksSettingsInput(false, defaultAccount, null) { DepositRules = rules }, Ct);
    }

    /// <summary>Records a payment of 10.00 on a sent invoice that has none yet (not Bob's Burgers', which cannot be sent).</summary>
    private static async Task<int> RecordOnOpenInvoiceAsync(QuickBooksApp app, PaymentMethod method, string? reference)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var open = await db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Sent && !i.Payments.Any() && i.Client!.DisplayName != "Bob's Burgers")
            .OrderBy(i => i.Id).ToListAsync(Ct);
        var invoice = open.First(i => i.Total >= 10m);
        return await scope.ServiceProvider.GetRequiredService<PaymentService>().RecordAsync(invoice.Id, new PaymentEntry(10m, invoice.IssueDate.AddDays(1), method, reference), Ct);
    }

    /// <summary>Every Jobkore payment QuickBooks holds, with its row there.</summary>
    private static async Task<List<(Payment Payment, JsonObject Row)>> SentPaymentsAsync(QuickBooksApp app, JsonObject sandbox)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        var records = await db.SyncRecords.AsNoTracking().Where(r => r.RealmId == Realm && r.EntityType == SyncEntityType.Payment && r.QboId != null)
            .ToDictionaryAsync(r => r.EntityId, r => r.QboId!, Ct);
        var rows = QuickBooksApp.Rows(sandbox, "Payment").ToDictionary(p => (string)p["Id"]!);
        var payments = await db.Payments.AsNoTracking().Where(p => records.Keys.Contains(p.Id)).ToListAsync(Ct);
        payments.ShouldNotBeEmpty();
        return [.. payments.Select(p => (p, rows[records[p.Id]]))];
    }

    private static async Task<SyncSummary> SyncAllAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncEngine>().SyncAllAsync(Ct);
    }

    private static async Task<PendingCount> PendingAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<SyncStatuses>().PendingCountAsync(Realm, Ct);
    }

    private static async Task<SyncRecord> RecordAsync(QuickBooksApp app, int paymentId)
    {
        await using var scope = app.SignedInScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<JobkoreDbContext>>().CreateDbContextAsync(Ct);
        return await db.SyncRecords.AsNoTracking().SingleAsync(r => r.RealmId == Realm && r.EntityType == SyncEntityType.Payment && r.EntityId == paymentId, Ct);
    }

    private static async Task<SyncStatus> StatusAsync(QuickBooksApp app, int paymentId)
    {
        await using var scope = app.SignedInScope();
        return (await scope.ServiceProvider.GetRequiredService<SyncStatuses>().ViewsAsync(SyncEntityType.Payment, [paymentId], Ct))![paymentId].Status;
    }

    private static async Task WaitForStatusAsync(QuickBooksApp app, int paymentId, SyncStatus status)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (await StatusAsync(app, paymentId) != status)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"payment {paymentId} never showed as {status}");
            }

            await Task.Delay(100, Ct);
        }
    }
}
