using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuickBooksConnect : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastSyncedAt",
                table: "QuickBooksConnections",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QuickBooksAuthorizationRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksAuthorizationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuickBooksAuthorizationRequests_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QuickBooksSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    AutoSync = table.Column<bool>(type: "INTEGER", nullable: false),
                    DepositAccount_RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    DepositAccount_Id = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    DepositAccount_Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IncomeAccount_RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    IncomeAccount_Id = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    IncomeAccount_Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuickBooksSettings_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    EntityType = table.Column<int>(type: "INTEGER", nullable: false),
                    EntityId = table.Column<int>(type: "INTEGER", nullable: false),
                    QboId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    QboSyncToken = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRecords_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksAuthorizationRequests_BusinessId",
                table: "QuickBooksAuthorizationRequests",
                column: "BusinessId");

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksAuthorizationRequests_StateHash",
                table: "QuickBooksAuthorizationRequests",
                column: "StateHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksSettings_BusinessId",
                table: "QuickBooksSettings",
                column: "BusinessId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_BusinessId_RealmId_EntityType_EntityId",
                table: "SyncRecords",
                columns: new[] { "BusinessId", "RealmId", "EntityType", "EntityId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuickBooksAuthorizationRequests");

            migrationBuilder.DropTable(
                name: "QuickBooksSettings");

            migrationBuilder.DropTable(
                name: "SyncRecords");

            migrationBuilder.DropColumn(
                name: "LastSyncedAt",
                table: "QuickBooksConnections");
        }
    }
}
