using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jobkore.Core.Data.Configurations;

internal sealed class QuickBooksSettingsConfiguration : IEntityTypeConfiguration<QuickBooksSettings>
{
    public void Configure(EntityTypeBuilder<QuickBooksSettings> builder)
    {
        builder.HasOne<Business>().WithMany().HasForeignKey(s => s.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.BusinessId).IsUnique();
        builder.OwnsOne(s => s.DepositAccount, Account);
        builder.OwnsOne(s => s.IncomeAccount, Account);
        builder.OwnsMany(s => s.DepositRules, rule =>
        {
            rule.ToTable("QuickBooksDepositRules");
            rule.WithOwner().HasForeignKey("QuickBooksSettingsId");
            rule.Property<int>("Id");
            rule.HasKey("Id");
            rule.Ignore(r => r.Account);
            rule.Property(r => r.RealmId).HasMaxLength(50);
            rule.Property(r => r.AccountId).HasMaxLength(50);
            rule.Property(r => r.AccountName).HasMaxLength(200);
        });
        builder.Navigation(s => s.DepositRules).HasField("_depositRules");
    }

    private static void Account(OwnedNavigationBuilder<QuickBooksSettings, ChosenAccount> account)
    {
        account.Property(a => a.RealmId).HasMaxLength(50);
        account.Property(a => a.Id).HasMaxLength(50);
        account.Property(a => a.Name).HasMaxLength(200);
    }
}
