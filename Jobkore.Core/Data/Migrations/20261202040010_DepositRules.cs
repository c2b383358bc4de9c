using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class DepositRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QuickBooksDepositRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Method = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    QuickBooksSettingsId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksDepositRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuickBooksDepositRules_QuickBooksSettings_QuickBooksSettingsId",
                        column: x => x.QuickBooksSettingsId,
                        principalTable: "QuickBooksSettings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksDepositRules_QuickBooksSettingsId",
                table: "QuickBooksDepositRules",
                column: "QuickBooksSettingsId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuickBooksDepositRules");
        }
    }
}
