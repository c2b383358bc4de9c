using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Jobkore.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class CustomerMatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QuickBooksCustomerMatches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BusinessId = table.Column<int>(type: "integer", nullable: false),
                    RealmId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ClientId = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CandidatesJson = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    ChosenQboId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    FoundAt = table.Column<long>(type: "bigint", nullable: false),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickBooksCustomerMatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuickBooksCustomerMatches_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QuickBooksCustomerMatches_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksCustomerMatches_BusinessId_RealmId_ClientId",
                table: "QuickBooksCustomerMatches",
                columns: new[] { "BusinessId", "RealmId", "ClientId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuickBooksCustomerMatches_ClientId",
                table: "QuickBooksCustomerMatches",
                column: "ClientId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuickBooksCustomerMatches");
        }
    }
}
