#!/usr/bin/env python3
"""Writes the poison corpus next to this script (see README.md). Deterministic: run it again and
git shows no change. Only the standard library."""
import gzip, json, os, zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def csv_lines(lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- football-data CSV: bad values between good rows -----------------------------------------
HEADER = "Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,B365H,B365D,B365A"
long_name = ("Athletic " * 1200)[:10000]
fd_values = [
    HEADER,
    "E0,04/01/2031,15:00,Arsenal,Chelsea,2,1,H,2.10,3.40,3.50",            # 2 good
    "E0,05/01/2031,15:00,Liverpool,Everton,1,0,H,1.0,5.00,8.00",           # 3 price 1.0
    "E0,06/01/2031,15:00,Fulham,Brentford,0,0,D,3.00,0,2.90",              # 4 price 0
    "E0,07/01/2031,15:00,Tottenham,West Ham,3,3,D,2.50,3.30,-2.80",        # 5 negative price
    "E0,08/01/2031,15:00,Chelsea,Liverpool,1,1,D,NaN,3.30,2.40",           # 6 NaN
    "E0,09/01/2031,15:00,Everton,Arsenal,0,2,A,4.00,3.60,Infinity",        # 7 Infinity
    "E0,10/01/2031,15:00,Brentford,Fulham,2,2,D,1.10,1.10,1.10",           # 8 payout too low
    "E0,11/01/2031,15:00,West Ham,Tottenham,1,0,H,5.00,5.00,5.00",         # 9 payout too high
    "E0,31/02/2031,15:00,Arsenal,Liverpool,1,0,H,2.00,3.50,3.80",          # 10 31 February
    "E0,30/12/2100,15:00,Chelsea,Everton,2,0,H,1.80,3.60,4.50",            # 11 year 2100 (the last year allowed)
    "E0,01/01/2101,15:00,Fulham,Arsenal,0,1,A,3.00,3.40,2.30",             # 12 year 2101
    "E0,12/01/2031,15:00,,Chelsea,1,1,D,2.50,3.20,2.90",                   # 13 empty team name
    "E0,13/01/2031,15:00,Liverpool," + long_name + ",1,0,H,1.40,4.50,7.00",  # 14 10,000-character name
    "E0,14/01/2031,15:00,\"Robert'); DROP TABLE events;--\",Chelsea,0,0,D,2.60,3.10,2.80",  # 15 SQL
    "E0,15/01/2031,15:00,Arsenal,\"x\"\" OR \"\"1\"\"=\"\"1\",3,0,H,1.50,4.00,6.00",         # 16 SQL with quotes
    "E0,16/01/2031,15:00,Everton,Fulham,two,0,H,2.20,3.30,3.30",           # 17 goals as words
    "E0,17/01/2031,15:00,Brentford,Liverpool,-1,2,A,4.20,3.80,1.80",       # 18 negative goals
    "E0,04/01/2031,15:00,Arsenal,Chelsea,2,1,H,2.10,3.40,3.50",            # 19 exact repeat of line 2
    "E0,04/01/2031,15:00,Arsenal,Chelsea,0,3,A,2.20,3.30,3.40",            # 20 line 2's match, other content
    "E0,18/01/2031,15:00,Tottenham,Chelsea,1,2,A,2.40,3.30,2.95",          # 21 good
    ",,,,,,,,,,",                                                          # 22 blank row
    "E0,19/01/2031,15:00,\"Back\\slash, Comma\",Everton,1,1,D,2.70,3.20,2.70",  # 23 backslash and comma
    "E0,20/01/2031,15:00,Ünïcödé 🦊,Fulham,0,1,A,2.90,3.30,2.50",          # 24 accents and an emoji
]
write("fd-values.csv", csv_lines(fd_values))

# --- a ;-delimited CSV (a European spreadsheet's export, decimal commas) -----------------------
write("fd-semicolon.csv", csv_lines([
    "Div;Date;HomeTeam;AwayTeam;FTHG;FTAG;B365H;B365D;B365A",
    "E0;21/01/2031;Arsenal;Everton;1;1;2,50;3,20;2,90",
    "E0;22/01/2031;Chelsea;Fulham;3;0;1,50;4,00;6,50",
]))

# --- a binary file named .csv: a gzip-compressed CSV that lost its .gz -------------------------
good_csv = csv_lines([
    "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG",
    "E0,23/01/2031,Arsenal,Fulham,1,0",
    "E0,24/01/2031,Chelsea,Brentford,2,0",
])
write("fd-binary.csv", gzip.compress(good_csv, mtime=0))

# --- a truncated .gz: complete rows, then the data stops inside a row -------------------------
rows = [
    "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG",
    "E0,25/01/2031,Everton,Chelsea,0,0",
    "E0,26/01/2031,Fulham,Liverpool,1,3",
    "E0,27/01/2031,Brentford,Arsenal,2,2",
    "E0,28/01/2031,Liverpool,Fulham,4,0",
]
deflate = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
data = b""
for row in rows[:3]:
    data += deflate.compress((row + "\n").encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)
# line 4 is cut: its first 12 characters, flushed, and nothing after (no end of stream, no trailer)
data += deflate.compress(rows[3][:12].encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)
write("fd-truncated.csv.gz", data)


# --- synthetic JSON lines ----------------------------------------------------------------------
def synthetic(id, day, home, away, prices=((2.1, 3.4, 3.5),), **extra):
    event = {"id": id, "sport": "football", "league": "E0", "commence_time": "2031-03-%02dT15:00:00Z" % day,
             "home_team": home, "away_team": away, "status": "scheduled", "scores": None,
             "last_update": "2031-03-01T10:00:00Z",
             "bookmakers": [{"key": key, "markets": [{"key": "h2h", "outcomes": [
                 {"name": "home", "price": h}, {"name": "draw", "price": d}, {"name": "away", "price": a}]}]}
                 for key, (h, d, a) in zip(["B365", "WH", "PS"], prices)]}
    event.update(extra)
    return event


def line(obj):
    return json.dumps(obj, ensure_ascii=False)


good1 = synthetic("p-1", 2, "Arsenal", "Chelsea")
lines = [
    line(good1),                                                                       # 1 good
    line(synthetic("p-2", 3, "Liverpool", "Everton"))[:97],                             # 2 truncated JSON
    line(synthetic("p-3", 4, "Fulham", "Brentford", commence_time=20310304)),          # 3 time as a number
    line(synthetic("p-4", 5, "Tottenham", "West Ham", prices=((True, 3.3, 2.9),))),    # 4 price as a boolean
    line(synthetic("p-5", 6, "Chelsea", "Fulham", status="finished", scores="2-1")),   # 5 scores as text
    line(synthetic("p-6", 7, "Everton", "Liverpool", prices=((1.0, 3.3, 2.9),))),  # 6 price 1.0
    line(synthetic("p-7", 8, "Brentford", "Tottenham", prices=((2.5, 0, 2.9),))),      # 7 price 0
    line(synthetic("p-8", 9, "West Ham", "Arsenal", prices=((2.5, 3.3, -1.5),))),      # 8 negative price
    line(synthetic("p-9", 10, "Arsenal", "Everton", prices=(("NaN", 3.3, 2.9), (2.5, 3.3, "Infinity")))),  # 9 NaN, Infinity
    line(synthetic("p-10", 11, "Chelsea", "Tottenham", prices=((2.0, 3.3, 3.6), (2.1, 3.3, 3.5)))).replace(
        '"price": 2.0', '"price": 1e999999999').replace('"price": 2.1', '"price": 1e-999999999'),  # 10 absurd exponents
    line(synthetic("p-11", 12, "Liverpool", "Brentford", prices=((1.2, 1.2, 1.2),))),  # 11 payout 0.4
    line(synthetic("p-12", 1, "Fulham", "Everton", commence_time="2101-01-01T15:00:00Z")),  # 12 year 2101
    line(synthetic("p-13", 13, "", "Chelsea")),                                        # 13 empty name
    line(synthetic("p-14", 14, long_name, "Chelsea")),                                 # 14 10,000 characters
    line(synthetic("p-15", 15, "'; DELETE FROM quarantine; --", "Everton")),            # 15 SQL
    line(synthetic("p-16", 16, "Arse\u0000nal", "Chelsea")),                           # 16 a NUL in a name
    line(good1),                                                                       # 17 exact repeat of line 1
    line(synthetic("p-1", 2, "Arsenal", "Chelsea", prices=((2.2, 3.3, 3.3),),
                   commence_time="2031-03-02T17:30:00Z")),                             # 18 line 1's match, other content
    "[1, 2, 3]",                                                                       # 19 an array
    "null",                                                                            # 20 null
    "",                                                                                # 21 blank line
    line(synthetic("p-22", 17, "Everton", "Fulham", league="E\u00000")),               # 22 a NUL in the league
    line(synthetic("p-23", 18, "Brentford", "Chelsea")).replace('"B365"', '"B\\u0000365"'),  # 23 a NUL in a bookmaker
    line(synthetic("p-24", 19, "Liverpool", "Arsenal", commence_time="2031\u0000")),   # 24 a NUL in a time
    line(synthetic("p-25", 20, "Tottenham", "West Ham")),                              # 25 good
]
write("synthetic-values.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))

# --- synthetic JSON lines in Latin-1 (not valid UTF-8) -----------------------------------------
write("synthetic-latin1.jsonl", ("\n".join([
    line(synthetic("p-30", 21, "Málaga", "Cádiz")),
    line(synthetic("p-31", 22, "Atlético Madrid", "Málaga")),
]) + "\n").encode("latin-1"))

# --- synthetic JSON lines, gzip-compressed, with records of about 1 MB --------------------------
write("synthetic-1mb.jsonl.gz", gzip.compress(("\n".join([
    line(synthetic("p-40", 23, "Arsenal", "Fulham")),                                  # 1 good
    line(synthetic("p-41", 24, "Chelsea", "Everton", notes="x" * 1_100_000)),           # 2 1.1 MB: above the limit
    line(synthetic("p-42", 25, "Liverpool", "Tottenham", notes="y" * 950_000)),         # 3 0.95 MB: below it
    line(synthetic("p-43", 26, "West Ham", "Brentford")),                              # 4 good
]) + "\n").encode("utf-8"), mtime=0))

# --- The Odds API v4 objects, replayed with --provider the-odds-api ----------------------------
def odds(id, day, home, away, prices, sport="soccer_epl", **extra):
    event = {"id": id, "sport_key": sport, "sport_title": "EPL", "commence_time": "2031-04-%02dT19:00:00Z" % day,
             "home_team": home, "away_team": away,
             "bookmakers": [{"key": "williamhill", "title": "William Hill", "last_update": "2031-04-01T09:00:00Z",
                             "markets": [{"key": "h2h", "last_update": "2031-04-01T09:00:00Z", "outcomes": [
                                 {"name": home, "price": prices[0]}, {"name": "Draw", "price": prices[1]},
                                 {"name": away, "price": prices[2]}]}]}]}
    event.update(extra)
    return event


write("the-odds-api.jsonl", ("\n".join([
    line(odds("toa-1", 5, "Arsenal", "Chelsea", [2.1, 3.4, 3.5])),                               # 1 good odds
    line(odds("toa-2", 6, "LA Galaxy", "Seattle Sounders", [2.1, 3.4, 3.5], sport="soccer_usa_mls")),  # 2 unmapped sport
    line({"id": "toa-3", "sport_key": "soccer_epl", "commence_time": "2031-04-07T19:00:00Z",
          "home_team": "Everton", "away_team": "Fulham"}),                                      # 3 neither odds nor scores
    line({"id": "toa-4", "sport_key": "soccer_epl", "commence_time": "2031-04-08T19:00:00Z", "completed": True,
          "home_team": "Liverpool", "away_team": "Brentford", "scores": None,
          "last_update": "2031-04-08T21:00:00Z"}),                                              # 4 completed, no scores
    line(odds("toa-5", 9, "Chelsea", "Tottenham", [2.1, "NaN", 3.5])),                          # 5 NaN
    line(odds("toa-6", 10, "Fulham", "West Ham", [2.1, 3.4, -2.5])),                            # 6 negative decimal
    line(odds("toa-7", 11, "Everton", "Arsenal", ["1e999999999", 3.4, 3.5])),                   # 7 absurd exponent as text
    line(odds("toa-8", 12, "Brentford", "Chelsea", [2.1, 3.4, 3.5], bookmakers="williamhill")),  # 8 bookmakers as text
    line({"id": "toa-1", "sport_key": "soccer_epl", "commence_time": "2031-04-05T19:00:00Z", "completed": True,
          "home_team": "Arsenal", "away_team": "Chelsea",
          "scores": [{"name": "Arsenal", "score": "2"}, {"name": "Chelsea", "score": "one"}],
          "last_update": "2031-04-05T21:00:00Z"}),                                              # 9 a score as a word
    line({"id": "toa-1", "sport_key": "soccer_epl", "commence_time": "2031-04-05T19:00:00Z", "completed": True,
          "home_team": "Arsenal", "away_team": "Chelsea",
          "scores": [{"name": "Arsenal", "score": "2"}, {"name": "Chelsea", "score": "1"}],
          "last_update": "2031-04-05T21:00:00Z"}),                                              # 10 good scores of line 1
]) + "\n").encode("utf-8"))


# --- football-data.org v4 match objects, replayed with --provider football-data-org -------------
def match(id, day, home, away, status="FINISHED", full=(2, 1), code="PL", **extra):
    m = {"id": id, "competition": {"id": 2021, "name": "Premier League", "code": code},
         "utcDate": "2031-04-%02dT14:00:00Z" % day, "status": status, "lastUpdated": "2031-04-%02dT16:05:00Z" % day,
         "homeTeam": {"id": 1, "name": home, "shortName": home}, "awayTeam": {"id": 2, "name": away, "shortName": away},
         "score": {"fullTime": {"home": full[0], "away": full[1]}, "halfTime": {"home": None, "away": None}}}
    m.update(extra)
    return m


write("football-data-org.jsonl", ("\n".join([
    line(match(9001, 13, "Arsenal FC", "Chelsea FC")),                                         # 1 good
    line(match(9002, 14, "Everton FC", "Fulham FC", full=(None, None))),                       # 2 finished, no score
    line(match(9003, 15, "Liverpool FC", "Brentford FC", code="CL")),                          # 3 unmapped competition
    line(match(9004, 16, "Chelsea FC", "Arsenal FC", status="ABANDONED")),                     # 4 unknown status
    line(match(9005, 17, "Fulham FC", "Everton FC", full=("two", 0))),                         # 5 a score as a word
    line(match(9006, 18, "Brentford FC", "Liverpool FC", utcDate="2101-04-18T14:00:00Z")),     # 6 year 2101
    line({k: v for k, v in match(9007, 19, "Tottenham Hotspur FC", "West Ham United FC").items() if k != "lastUpdated"}),  # 7 no lastUpdated
    line(match(9008, 20, "Tottenham Hotspur FC", "West Ham United FC")),                       # 8 good
]) + "\n").encode("utf-8"))
