"""Every sentence kouiki says to a user, in Japanese and English: one catalogue.

The whole API (the workshop screen and the engine use the same):

    text(key, lang="ja", **arguments) -> str
        the sentence `key` in `lang`, filled with `arguments`.
    Message(key, **arguments)
        a sentence made where the language is not known yet (the loader, the
        legal rules, the evaluator, the what-ifs). It *is* a str (its Japanese
        rendering, the product's default), so it can be joined, sorted and
        written to JSON like any text; `message.render(lang)` gives it in
        another language. Arguments that are themselves Messages, `Yen`
        amounts or `Rule` ids are rendered in the same language.
    render(value, lang) -> str
        a Message in `lang`; any other value as it is (ids, names).
    Yen(value)
        an amount of yen a year, shown in 万円 (ja) or million yen (en).
    rule(rule_id, lang) -> str
        a rule id with its meaning in words: "L9 町の持ち出しが単独実施を超えない".
    LANGUAGES = ("ja", "en")

Templates use str.format. A key lives in CATALOGUE with its (ja, en) pair and in
SAMPLES with sample arguments (tests render every key in both languages).
Why a Python module and not gettext: docs/decisions.md, "Issue 11".
"""

from __future__ import annotations

import string

LANGUAGES = ("ja", "en")


class Yen(float):
    """An amount of yen (a year), rendered in the unit a council paper uses."""

    def render(self, lang: str) -> str:
        return money(float(self), lang)


def money(value: float, lang: str = "ja", sign: bool = False) -> str:
    """Money as 万円 (Japanese) or million yen (English), with separators; no "-0"."""
    number, spec = (value / 1e4, ",.0f") if lang == "ja" else (value / 1e6, ",.1f")
    shown = format(number, ("+" if sign else "") + spec)
    if not shown.strip("+-0.,"):
        shown = shown.lstrip("+-")  # a rounded zero has no sign
    if lang == "ja":
        return f"{shown}万円"
    return f"{shown[0]}¥{shown[1:]}M" if shown[:1] in "+-" else f"¥{shown}M"


# Rule ids stay (reports and the SPEC use them), always shown with their meaning.
RULES = {
    "L1": ("事務ごと・中心団体ごとに手法は一つ", "one method per task and hub"),
    "L2": ("事務の区分に認められた手法", "the method is allowed for the task's category"),
    "L3": ("中核市事務は中核市の権限をもつ中心団体だけ", "core-city affairs only at a hub with core-city powers"),
    "L4": ("連携中枢都市圏の中心市の要件", "the conditions for leading a 連携中枢都市圏"),
    "L5": ("参加団体の数・県の参加・到達範囲", "enough members, the prefecture, reach"),
    "L6": ("中心団体の純負担が上限を超えない", "a hub's net burden stays within its cap"),
    "L7": ("中心団体の職員の上限", "a hub's staff capacity"),
    "L8": ("参加の意思（willing）", "willingness to take part"),
    "L9": ("町の持ち出しが単独実施を超えない", "no member pays more than doing it alone"),
    "L10": ("連携の数の上限", "at most so many arrangements"),
    "what-if": ("ワークショップの条件", "a workshop what-if"),
    "data": ("データ", "the data"),
    "detail": ("詳細", "detail"),
    "note": ("注", "note"),
    "rules": ("法令上のルール", "the legal rules"),
}


def rule(rule_id: str, lang: str = "ja") -> str:
    ja, en = RULES.get(rule_id, (rule_id, rule_id))
    meaning = ja if lang == "ja" else en
    if rule_id in ("what-if", "data", "detail", "note", "rules"):
        return meaning
    return f"{rule_id} {meaning}"


class Rule(str):
    """A rule id shown with its meaning when a message is rendered."""

    def render(self, lang: str) -> str:
        return rule(str(self), lang)


class Message(str):
    """A catalogue sentence whose language is chosen when it is shown."""

    key: str
    arguments: dict

    def __new__(cls, key: str, **arguments):
        if key not in CATALOGUE:
            raise KeyError(f"no message {key!r} in the catalogue")
        self = super().__new__(cls, _fill(key, "ja", arguments))
        self.key = key
        self.arguments = arguments
        return self

    def render(self, lang: str = "ja") -> str:
        return _fill(self.key, lang, self.arguments)

    def __reduce__(self):  # Messages cross process boundaries (batches) as themselves
        return (_rebuild, (self.key, self.arguments))


def _rebuild(key, arguments):
    return Message(key, **arguments)


def render(value, lang: str = "ja") -> str:
    """A Message, Yen or Rule in `lang`; lists joined by the language's separator; anything else as it is."""
    if hasattr(value, "render"):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return text("join", lang).join(render(v, lang) for v in value)
    return value if isinstance(value, str) else str(value)


def text(key: str, lang: str = "ja", **arguments) -> str:
    """The sentence `key` in `lang`, filled with `arguments`."""
    return _fill(key, lang, arguments)


_PLAIN = {str, int, float, type(None)}  # values shown as they are (not Message, Yen, Rule or lists)


def _fill(key: str, lang: str, arguments: dict) -> str:
    ja, en = CATALOGUE[key]
    template = ja if lang == "ja" else en
    for value in arguments.values():
        if value.__class__ not in _PLAIN:
            break
    else:
        return template.format_map(arguments)  # the common case, kept fast: the rules make 10^5 reasons
    shown = {name: (value.render(lang) if hasattr(value, "render") else
                    text("join", lang).join(render(v, lang) for v in value) if isinstance(value, (list, tuple)) else value)
             for name, value in arguments.items()}
    return template.format(**shown)


def fields(key: str) -> set[str]:
    """The argument names the key's templates use (both languages must agree)."""
    names = set()
    for template in CATALOGUE[key]:
        names |= {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return names


CATALOGUE: dict[str, tuple[str, str]] = {
    "join": ("、", ", "),
    # ------------------------------------------------------------ command line
    "cli.reports": ("報告書の保存先: {folder}", "Reports: {folder}"),
    "cli.problems": ("入力に {count} 件の問題があります。何も書き出していません。",
                     "{count} problem(s) in the input; nothing was written."),
    "cli.infeasible": ("すべてのルールを満たす案はありません。次の条件が衝突しています（名前の挙がった条件を一つ外せば衝突は解けます）:",
                       "No plan satisfies every rule. These conflict (drop any one of the what-ifs named and this conflict goes away):"),
    "cli.reason": ("  [{rule}] {text}", "  [{rule}] {text}"),
    "cli.explanation_written": ("説明の保存先: {folder}", "Explanation written to {folder}"),
    "cli.no_plan_in_time": ("制限時間 {seconds} 秒のうちに、すべてのルールを満たす案が見つかりませんでした。--time-limit を長くしてください。",
                            "The time limit of {seconds} s ran out before any plan satisfying every rule was found; try a longer --time-limit."),
    "cli.no_plan_in_time_unknown": ("制限時間のうちに、すべてのルールを満たす案が見つかりませんでした。--time-limit を長くしてください。",
                                    "The time ran out before any plan satisfying every rule was found; try a longer --time-limit."),
    "cli.internal_no_report": ("内部エラーのため報告書は書き出していません: {detail}", "Internal error, no report written: {detail}"),
    "cli.internal": ("内部エラー: {detail}（--debug で詳細を表示）", "Internal error: {detail} (run with --debug for details)"),
    "cli.interrupted": ("中断しました。報告書は書き出していません。", "Interrupted; no report was written."),
    "cli.bad_value": ("{option} の値が正しくありません: {detail}", "{option}: {detail}"),
    "write.cannot_create": ("報告書のフォルダ {folder} を作れません: {reason}", "cannot create the report folder {folder}: {reason}"),
    "write.cannot_write": ("報告書を {folder} に書けません: {reason}", "cannot write the reports into {folder}: {reason}"),
    "cli.usage_error": ("コマンドの誤り: {detail}", "Usage error: {detail}"),
    "cli.version": ("kouiki（広域） {version}", "kouiki {version}"),
    "cli.plots_missing": ("--plots には {packages} が必要です: pip install 'kouiki[plots]'",
                          "--plots needs {packages}: pip install 'kouiki[plots]'"),
    "cli.bad_yen": ("'{value}' は金額として読めません（例: 100000000、1億、5000万、100,000,000、¥100,000,000）",
                    "'{value}' is not an amount of yen (for example 100000000, 1億, 5000万, 100,000,000, ¥100,000,000)"),
    "cli.bad_fraction": ("'{value}' は 0 から 1 の間の数でなければなりません", "'{value}' must be a number between 0 and 1"),
    "cli.output_exists": ("{folder} はすでにあり空ではありません。別の --out を選ぶか --overwrite を付けてください",
                          "{folder} already exists and is not empty; choose another --out or add --overwrite"),
    # ------------------------------------------------------------ --help
    "help.usage": ("使い方", "Usage"),
    "help.options_heading": ("オプション", "Options"),
    "help.commands": ("ほかのコマンド", "Other commands"),
    "help.about": ("地域の共同化する事務、連携手法（地方自治法）、中心団体と参加団体を選びます。",
                   "Choose shared tasks, cooperation methods (地方自治法), hubs and members for a region."),
    "help.path": ("PATH は instance.csv（同じフォルダに他の表）、instance.csv のあるフォルダ、表ごとのシートをもつ Excel ブック（.xlsx）、"
                  "または同梱の事例の名前（kensei など）です。",
                  "PATH is an instance.csv (its sibling tables beside it), a folder holding instance.csv, an Excel workbook (.xlsx) "
                  "with a sheet per table, or the name of a bundled instance such as kensei."),
    "help.exit_codes": ("終了コード: 0 解けた、1 案なし（説明つき）、2 入力の誤り、3 制限時間内に案なし、4 内部エラー。",
                        "Exit codes: 0 solved, 1 infeasible (explained), 2 bad input, 3 no plan within the time limit, 4 internal error."),
    "help.template": ("allocate template DIR — 記入用の空の事例（DIR.xlsx ならブック）", "allocate template DIR — an empty instance to fill in (DIR.xlsx for a workbook)"),
    "help.generate": ("allocate generate DIR — 試験用の事例を作る（allocate generate --help）", "allocate generate DIR — make a test instance (allocate generate --help)"),
    "help.default": ("既定: {value}", "default: {value}"),
    "help.example": ("例: {example}", "e.g. {example}"),
    "help.show_help": ("この説明を表示して終了", "Show this message and exit."),
    "help.version": ("版を表示して終了", "Show the version and exit."),
    "help.check": ("事例を検査して概要を表示するだけで、解きません。", "Validate the instance and print a summary; solve nothing."),
    "help.out": ("報告書のフォルダ（既定 results/<事例>-<時刻>）。", "Report folder (default results/<instance>-<time>)."),
    "help.overwrite": ("空でない --out フォルダを置き換える。", "Replace an existing non-empty --out folder."),
    "help.burden_cap": ("municipalities.csv に上限のない中心団体の純負担の上限（円/年、1億・5000万 も可）。既定 0。",
                        "Cap on each hub's net burden (yen a year; 1億 and 5000万 work too) where municipalities.csv gives none. Default 0."),
    "help.force": ("この事務をこの手法（と中心団体）で共同化させる。", "This task must be shared by this method (and hub)."),
    "help.forbid": ("この事務にこの手法を使わせない。", "This task may not use this method."),
    "help.forbid_method": ("どの連携にもこの手法を使わせない。", "No arrangement may use this method."),
    "help.exclude": ("この市町村はどの連携にも加わらない。", "This municipality stays out of every arrangement."),
    "help.require": ("この市町村はこの事務に必ず加わる。", "This municipality must take part in this task."),
    "help.fee_ratio": ("この手法では参加団体が単独費用の R を支払う。", "Members pay R of their standalone cost under METHOD."),
    "help.min_town_saving": ("L9: 各参加団体が単独費用のこの割合以上を節減する。", "L9: each member saves at least this share of its standalone cost."),
    "help.max_arrangements": ("L10: 連携の数をこの数以下にする。", "L10: at most this many arrangements."),
    "help.keep_current": ("現在の連携（current.csv）を解消させない。", "The arrangements in force (current.csv) may not be dissolved."),
    "help.merge": ("合併の想定: A と B が一つの市になる。", "Merger scenario: A and B become one municipality."),
    "help.whatif": ("条件を並べた CSV（列 what_if,argument）。", "A CSV of what-ifs (columns what_if,argument)."),
    "help.options": ("異なる案をこの数だけ、よい順に探す（既定 1）。", "Find this many distinct plans, best first (default 1)."),
    "help.min_difference": ("各案は前の案と（事務・手法・中心団体の）選択がこの数以上違う（既定 1）。",
                            "Each option differs from every earlier one in this many (task, method, hub) choices (default 1)."),
    "help.slack": ("各案は最善の節減額の (1 − E) 以上を保つ（既定 0.05、--ranked では制限なし）。",
                   "Options must save at least (1 − E) of the best (default 0.05; none with --ranked)."),
    "help.ranked": ("案を互いに最も異なる案ではなく、次善の案から順に出す。", "Options are the next-best plans in order, not the most different ones."),
    "help.why_not": ("案1で単独実施となる参加意思のある団体ごとに、その理由を示し why_not.csv を書く。",
                     "Say why each willing municipality left alone in option 1 is left alone; write why_not.csv."),
    "help.fair_share": ("一つの団体が節減額のこの割合を超えて得るとき警告する。", "Warn when one party takes more than this share of the savings."),
    "help.fair_saving": ("参加団体の節減が単独実施費用のこの割合に満たないとき警告する。",
                         "Warn when a member saves less than this share of its standalone cost in an arrangement it joins."),
    "help.workers": ("独立した団体群をこの数のDaskワーカープロセスで解く（kouiki[batch] が必要）。",
                     "Solve the instance's independent groups on this many local Dask worker processes (needs kouiki[batch])."),
    "help.scheduler": ("独立した団体群を ADDRESS のDaskクラスターで解く（kouiki[batch] が必要）。",
                       "Solve the independent groups on the Dask cluster at ADDRESS (needs kouiki[batch])."),
    "help.sweep": ("負担上限を LO から HI まで N 通り解き、tradeoff.csv を書く（N を省くと計画の変わる範囲に点を置く）。",
                   "Solve for N caps from LO to HI; write tradeoff.csv (without N, points go where the plan changes)."),
    "help.objective": ("regional なら地域外からの交付金も利益に数える（既定 savings）。", "'regional' counts grants from outside the region as gains (default savings)."),
    "help.time_limit": ("この秒数で止め、見つかった最善の案を示す。", "Stop after this many seconds with the best plan found."),
    "help.gap": ("ソルバーが止まる相対ギャップ（既定 1e-6）。", "Relative optimality gap at which the solver stops (default 1e-6)."),
    "help.threads": ("ソルバーのスレッド数。", "Solver threads."),
    "help.seed": ("ソルバーの乱数の種。", "Solver random seed."),
    "help.verify": ("案の選択を固定し別の種で解き直して節減額を確かめる。", "Re-solve with the plan's choices fixed and another seed, and confirm the savings."),
    "help.write_model": ("モデル全体（上限すべて）を MPS ファイルに書いて止まる（ベンチマーク用）。",
                         "Write the whole model (every cap on) as an MPS file for HiGHS and stop; for benchmarks."),
    "help.quiet": ("誤りと報告書のフォルダだけを表示する。", "Print only errors and the report folder."),
    "help.lang": ("表示・report.xlsx・図の言語（既定 ja。CSV の列名は ID のまま）。", "Language of everything shown, report.xlsx and figures (default ja; CSV columns stay ids)."),
    "help.xlsx": ("report.xlsx（議会資料向けのブック）も書く。", "Also write report.xlsx, a workbook ready to print."),
    "help.plots": ("PNG の図も書く（参加・負担、--sweep ならトレードオフ）。kouiki[plots] が必要。",
                   "Also write PNG figures (participation, burden; tradeoff for --sweep). Needs kouiki[plots]."),
    "help.debug": ("内部エラーのトレースバックを表示する。", "Show tracebacks of internal errors."),
    # ------------------------------------------------------------ --check
    "check.valid": ("事例 {name}（{path}）は有効です。", "Instance {name} ({path}) is valid."),
    "check.file": ("  {file}: {encoding}", "  {file}: {encoding}"),
    "check.parties": ("  団体 {count}（{roles}）", "  {count} parties ({roles})"),
    "check.role_count": ("{role} {count}", "{count} {role}"),
    "check.hubs": ("  中心団体になれる団体: {hubs}", "  may lead (hubs): {hubs}"),
    "check.core_city": ("  中核市の権限: {cities}", "  core-city powers: {cities}"),
    "check.none": ("なし", "none"),
    "check.tasks": ("  事務 {tasks}、事務の行 {rows}、連携手法 {methods}、現在の連携 {current}",
                    "  {tasks} tasks, {rows} task rows, {methods} methods, {current} arrangements in force"),
    "check.by_category": ("  区分ごとの事務: {categories}", "  tasks by category: {categories}"),
    "check.category_count": ("{category} {count}", "{category} {count}"),
    "check.candidates": ("  法令上可能な連携（事務・手法・中心団体）{candidates} 通り、L2–L9 で除かれる選択 {excluded}",
                         "  {candidates} legally possible (task, method, hub) arrangements; {excluded} choices excluded by L2–L9"),
    # ------------------------------------------------------------ roles, statuses
    "role.central": ("中心市", "central city"),
    "role.town": ("町村", "town"),
    "role.prefecture": ("県", "prefecture"),
    "status.optimal": ("最適（証明済み）", "optimal (proven)"),
    "status.within": ("最善から最大 {gap} 以内", "within {gap} of the best"),
    "status.time_limit": ("時間切れ（最善からの距離は不明）", "time limit (distance from the best unknown)"),
    "status.status_quo": ("現状", "status quo"),
    "status.infeasible": ("案なし", "no plan"),
    "status.time_limit_no_plan": ("時間切れ・案なし", "time limit, no plan"),
    "status.options": ("複数案", "options"),
    # ------------------------------------------------------------ progress
    "progress.working": ("… {seconds} 秒  計算中（{step}）", "… {seconds} s  working ({step})"),
    "progress.solve": ("… 解 {n}: {status}", "… solve {n}: {status}"),
    "progress.group": ("… 地域 {n}/{count}: {size} 団体", "… group {n}/{count}: {size} municipalities"),
    # ------------------------------------------------------------ terminal
    "term.task": ("事務", "task"),
    "term.method": ("連携手法", "method"),
    "term.hub": ("中心団体", "hub"),
    "term.members": ("参加団体", "members"),
    "term.savings_yr": ("節減額/年", "savings/yr"),
    "term.hub_alone": ("（中心団体のみ）", "(hub alone)"),
    "term.all_others": ("ほか全団体（{count}）", "all others ({count})"),
    "term.all_but": ("{names} 以外の全団体", "all but {names}"),
    "term.no_arrangement": ("  連携なし：どの市町村もすべての事務を単独で行う", "  no arrangement: every municipality does every task alone"),
    "term.body_cost": ("  {method}の組織の費用（{hub}）: -{cost}（その手法の事務すべてで一度だけ）",
                       "  body cost of {method} at {hub}: -{cost} (once for all its tasks)"),
    "term.total": ("節減額の合計: 年 {money}（{yen} 円）", "Total savings: {money} a year ({yen} yen)"),
    "term.regional_cost": ("地域全体の費用: 年 {money}（合併などで団体が変わる比較は、この額で比べます）",
                           "Regional cost: {money} a year (compare plans with different parties, such as a merger, by this)"),
    "term.standalone_merger": ("合併の前後で、全団体が単独で行う場合の費用は 年 {before} → {after}（合併した市の中で共同化される分は節減額に数えません）",
                               "Doing everything alone costs {before} a year before the merger and {after} after it (pooling inside the merged city no longer counts as savings)"),
    "term.hubs": ("中心団体の純負担（上限との比較）:", "Hubs' net burden against the cap:"),
    "term.hub_row": ("  {name} 純負担 {burden}（上限 {cap}）{grants}", "  {name} net burden {burden} (cap {cap}){grants}"),
    "term.gain": ("持ち出しなし・収入超過 {money}", "no outlay, ahead by {money}"),
    "term.grants": ("  交付金等 {money}", "  grants {money}"),
    "term.ledger": ("団体ごとの収支（年）:", "Each municipality's bottom line (a year):"),
    "term.ledger_municipality": ("団体", "municipality"),
    "term.ledger_role": ("区分", "role"),
    "term.ledger_saving": ("節減額", "saving"),
    "term.ledger_burden": ("純負担", "net burden"),
    "term.ledger_cost": ("計画での費用", "cost under plan"),
    "term.status_quo": ("案0 — 現在の連携（現状）", "Option 0 — the arrangements in force today (status quo)"),
    "term.best": ("案{n} — 最善の案（{status}）", "Option {n} — the best plan ({status})"),
    "term.share": ("案{n} — 最善の案の {share}（{status}）", "Option {n} — {share} of the best ({status})"),
    # a plan not proven within the requested gap is never called the best (issue 10)
    "term.within": ("案{n} — 最善から最大 {within} 以内（{status}）", "Option {n} — within {within} of the best possible ({status})"),
    "term.within_unknown": ("案{n} — 最善からの差は不明（{status}）", "Option {n} — how far from the best possible is unknown ({status})"),
    "term.share_within": ("案{n} — 案1の {share}、最善から最大 {within} 以内（{status}）",
                          "Option {n} — {share} of option 1, within {within} of the best possible ({status})"),
    "term.share_unknown": ("案{n} — 案1の {share}、最善からの差は不明（{status}）",
                           "Option {n} — {share} of option 1; how far from the best possible is unknown ({status})"),
    "term.against_best": ("  案1との違い: {changes}", "  against option 1: {changes}"),
    "term.against_status_quo": ("  現状との差: 年 {change}", "  against the status quo: {change} a year"),
    "term.against_status_quo_cost": ("  現状との差: 節減額 年 {change}、地域全体の費用 年 {cost_change}（団体の構成が違うため費用で比べます）",
                                     "  against the status quo: savings {change} a year, regional cost {cost_change} a year (the parties differ: compare costs)"),
    "term.status_quo_breaks": ("  注: 現状は {rule} を満たしていません: {text}", "  note: the status quo breaks {rule}: {text}"),
    "term.warning": ("注意: {text}", "warning: {text}"),
    "term.note": ("注: {text}", "note: {text}"),
    "term.only_options": ("{min_difference} 個以上の選択が違う案は {count} 案しかありません", "only {count} option(s) differ in at least {min_difference} choice(s)"),
    "term.only_options_slack": ("最善の節減額の {slack} 以内で {min_difference} 個以上の選択が違う案は {count} 案しかありません",
                                "only {count} option(s) differ in at least {min_difference} choice(s) within {slack} of the best savings"),
    "term.add": ("追加 {task}:{method}@{hub}", "add {task}:{method}@{hub}"),
    "term.drop": ("廃止 {task}:{method}@{hub}", "drop {task}:{method}@{hub}"),
    "term.change_count": ("{shown}（ほか {more} 件）", "{shown} (and {more} more)"),
    "term.no_change": ("違いなし", "no difference"),
    "term.options_title": ("案の比較", "The options side by side"),
    "term.option": ("案", "option"),
    "term.max_burden": ("最大の純負担", "largest net burden"),
    "term.arrangements": ("連携の数", "arrangements"),
    "term.status": ("状態", "status"),
    "term.option_changes": ("案{n}: {changes}", "option {n}: {changes}"),
    "term.refused_l4": ("実現できない（{rule}）: {text}", "refused ({rule}): {text}"),
    "term.core_only": ("中核市事務（{count} 件）を担えるのは {hubs} だけです（{rule}）", "core-city affairs ({count} tasks) may be led only by {hubs} ({rule})"),
    "term.core_none": ("実現できない（{rule}）: 中核市の権限をもつ中心団体がないため、中核市事務 {count} 件は県が行います（{city} の人口 {population} 人は 20 万人未満）",
                       "refused ({rule}): no hub has core-city powers, so {count} core-city affairs stay with the prefecture ({city} has {population} people, fewer than 200,000)"),
    "term.tradeoff": ("トレードオフ：負担上限と節減額", "Trade-off: burden cap against savings"),
    "term.burden_cap": ("負担上限", "burden cap"),
    "term.towns_joining": ("参加する町", "towns joining"),
    "term.sweep_flat": ("注: どの点でも案は同じです。範囲を変えてください（--sweep burden-cap=LO:HI:N）",
                        "note: every point gives the same plan; try another range (--sweep burden-cap=LO:HI:N)"),
    "term.verified": ("確認: 案の選択 {count} 個を種 {seed} で解き直すと {savings}（差 {difference} 円）",
                      "verified: the plan's {count} choices re-solved with seed {seed} give {savings} (difference {difference} yen)"),
    "term.what_if": ("条件: {text}", "what-if: {text}"),
    # ------------------------------------------------------------ what-ifs (echoes)
    "whatif.merge": ("{a} と {b} が合併して {new}: 人口 {population} 人、中核市の権限{powers}",
                     "merge {a} and {b} into {new}: {population} people, {powers} core-city powers"),
    "whatif.with": ("あり", "with"),
    "whatif.without": ("なし", "without"),
    "whatif.day_night_ratio": ("昼夜間人口比率", "day/night population ratio"),
    "whatif.metro_commute_share": ("通勤の割合", "commuting share"),
    "whatif.merged_figure": ("合併後の市の{what}は {source} の値（{value}）を使います。{other} には値がありません",
                             "the merged city's {what} is {source}'s ({value}); {other} has none"),
    "whatif.exclude": ("{municipality} はどの連携にも加わらない", "{municipality} stays out of every arrangement"),
    "whatif.burden_cap": ("上限のない中心団体の負担上限 {money}（{yen} 円）", "burden cap {money} ({yen} yen) for hubs without their own"),
    "whatif.force": ("{task} は {method} で共同化する", "{task} must be shared by {method}"),
    "whatif.force_at": ("{task} は {hub} を中心団体に {method} で共同化する", "{task} must be shared by {method} led by {hub}"),
    "whatif.forbid": ("{task} には {method} を使わない", "{task} may not use {method}"),
    "whatif.forbid_method": ("どの連携にも {method} を使わない", "no arrangement may use {method}"),
    "whatif.require": ("{municipality} は {task} に必ず加わる", "{municipality} must take part in {task}"),
    "whatif.fee_ratio": ("{method} では参加団体が単独費用の {ratio} を支払う", "members pay {ratio} of their standalone cost under {method}"),
    "whatif.min_town_saving": ("各参加団体が少なくとも {ratio} 節減する", "every member saves at least {ratio}"),
    "whatif.max_arrangements": ("連携は {count} 件まで", "at most {count} arrangements"),
    "whatif.keep_current": ("現在の連携は解消しない", "the arrangements in force stay"),
    # what-ifs (refusals)
    "whatif.refused": ("{label}（{source}）: {text}", "{label} ({source}): {text}"),
    "whatif.command_line": ("コマンドライン", "command line"),
    "whatif.file_row": ("{file} {row} 行目", "{file} row {row}"),
    "whatif.write_as": ("{usage} の形で書いてください", "write it as {usage}"),
    "whatif.not_a_number": ("'{value}' は数ではありません", "'{value}' is not a number"),
    "whatif.not_finite": ("'{value}' は有限の数ではありません", "'{value}' is not a finite number"),
    "whatif.too_large": ("{value} は ±10^15 を超えています", "{value} is beyond ±10^15"),
    "whatif.between": ("{value} は {low} から {high} の間でなければなりません", "{value} must lie between {low} and {high}"),
    "whatif.at_least": ("{value} は {low} 以上でなければなりません", "{value} must be at least {low}"),
    "whatif.whole": ("整数でなければなりません", "must be a whole number"),
    "whatif.self_merge": ("市町村は自分自身とは合併できません", "a municipality cannot merge with itself"),
    "whatif.name_taken": ("'{name}' はすでにあります。'=' の後に別の名前を付けてください", "'{name}' already exists; choose another name after '='"),
    "whatif.unknown_kind": ("不明な条件 '{kind}' です{hint}", "unknown what-if '{kind}'{hint}"),
    "whatif.did_you_mean": ("。{names} のことですか?", "; did you mean {names}?"),
    "whatif.valid_kinds": ("（使える条件: {names}）", " (valid: {names})"),
    "whatif.needs_argument": ("{kind} には引数が必要です", "{kind} needs an argument"),
    "whatif.bad_header": ("見出しは what_if,argument でなければなりません", "the header must be: what_if,argument"),
    "whatif.or": ("または", " or "),
    "whatif.sweep_only_cap": ("--sweep {value}: 変えられるのは burden-cap だけです（burden-cap=LO:HI:N と書いてください）",
                              "--sweep {value}: only burden-cap can be swept (write burden-cap=LO:HI:N)"),
    "whatif.sweep_form": ("--sweep {value}: burden-cap=LO:HI:N の形で書いてください（例 burden-cap=0:2億:5）",
                          "--sweep {value}: write it as burden-cap=LO:HI:N, e.g. burden-cap=0:2億:5"),
    "whatif.sweep_range": ("--sweep {value}: N は 1 以上、HI は LO 以上でなければなりません", "--sweep {value}: N must be at least 1 and HI at least LO"),
    "problem.at": ("{file} {row} 行目 列「{column}」: {message}", "{file}, row {row}, column '{column}': {message}"),
    "problem.at_row": ("{file} {row} 行目: {message}", "{file}, row {row}: {message}"),
    "problem.at_column": ("{file} 列「{column}」: {message}", "{file}, column '{column}': {message}"),
    "problem.in_file": ("{file}: {message}", "{file}: {message}"),
    # ------------------------------------------------------------ the loader (kouiki/load.py)
    "load.formula": ("'{value}' は表計算の数式です。値を貼り付けてください", "'{value}' is a spreadsheet formula; paste the value instead"),
    "load.excel_error": ("'{value}' は表計算のエラー値です。表計算でセルの数式を直してください", "'{value}' is a spreadsheet error value; correct the cell's formula in the spreadsheet"),
    "load.yen_not_money": ("'{value}' は円で書かれていますが、この列は金額ではありません", "'{value}' is written in yen, but this column is not an amount of money"),
    "load.not_a_number": ("'{value}' は数ではありません", "'{value}' is not a number"),
    "load.not_finite": ("'{value}' は有限の数ではありません", "'{value}' is not a finite number"),
    "load.too_large": ("{value} は ±10^15（千兆）を超え、どの地域の金額や件数よりも大きい値です。単位を確かめてください（金額は円/年）",
                       "{value} is beyond ±10^15 (a thousand trillion), more than any region's amount or count: check the unit (amounts are yen a year)"),
    "load.unit": ("'{value}' は{unit}で数えています。金額は円で書いてください（50万円 → 500000）", "'{value}' counts in {unit}; write the amount in yen (50万円 → 500000)"),
    "load.negative": ("{value} は負です。0 以上でなければなりません", "{value} is negative; it must be 0 or more"),
    "load.outside_fraction": ("{value} は [0, 1] の外です", "{value} is outside [0, 1]"),
    "load.outside_elasticity": ("{value} は (0, 1] の外です", "{value} is outside (0, 1]"),
    "load.not_whole": ("{value} は整数ではありません", "{value} is not a whole number"),
    "load.flag": ("'{value}' は 0 か 1 でなければなりません", "'{value}' must be 0 or 1"),
    "load.willing": ("'{value}' は 1、0、must のいずれかでなければなりません", "'{value}' must be 1, 0 or must"),
    "load.role": ("'{value}' は central（中心市）、town（町・村）、prefecture（県）のいずれかでなければなりません",
                  "'{value}' must be central, town or prefecture (中心市, 町, 村 or 県)"),
    "load.zip_as_csv": ("Excel ブック（.xlsx）か別の ZIP 書庫で、CSV ファイルではありません", "is an Excel workbook (.xlsx) or another ZIP archive, not a CSV file"),
    "load.xls_as_csv": ("古い Excel ブック（.xls）で、CSV ファイルではありません", "is an old Excel workbook (.xls), not a CSV file"),
    "load.utf16": ("UTF-16 のテキスト（Excel の「Unicode テキスト」）で、kouiki は読めません", "is UTF-16 text (Excel's 'Unicode Text'), which kouiki does not read"),
    "load.save_as": ("Excel で「名前を付けて保存」→「CSV UTF-8（コンマ区切り）」を使ってください", "in Excel use Save As → 'CSV UTF-8 (comma delimited)'"),
    "load.not_csv": ("{what}。{save_as}", "{what}; {save_as}"),
    "load.nul": ("NUL バイトを含みます: CSV ではなくバイナリ（または UTF-16 のテキスト）です。{save_as}", "contains a NUL byte: this is a binary file (or UTF-16 text), not CSV; {save_as}"),
    "load.control": ("表計算が書かない制御文字 {code} を含みます: バイナリファイルではありませんか? {save_as}", "contains the control character {code}, which no spreadsheet writes: is this a binary file? {save_as}"),
    "load.bad_bom": ("UTF-8 の BOM で始まりますが、UTF-8 として正しくありません（{position} バイト目: {reason}）", "starts with a UTF-8 BOM but is not valid UTF-8 ({reason} at byte {position})"),
    "load.encoding": ("UTF-8 でも Shift_JIS/CP932 でもありません（{position} バイト目が読めません）。Excel から「CSV UTF-8」で保存してください",
                      "is neither UTF-8 nor Shift_JIS/CP932 (undecodable byte at position {position}); save it as 'CSV UTF-8' from Excel"),
    "load.semicolon_separated": ("セミコロン区切りのようです。kouiki はコンマ区切りを読みます（Excel では「CSV UTF-8（コンマ区切り）」で保存）",
                                 "looks semicolon-separated; kouiki reads comma-separated files (in Excel: save as 'CSV UTF-8 (comma delimited)')"),
    "load.tab_separated": ("タブ区切りのようです。kouiki はコンマ区切りを読みます（Excel では「CSV UTF-8（コンマ区切り）」で保存）",
                           "looks tab-separated; kouiki reads comma-separated files (in Excel: save as 'CSV UTF-8 (comma delimited)')"),
    "load.not_found": ("ファイルがありません", "file not found"),
    "load.folder": ("フォルダで、CSV ファイルではありません", "is a folder, not a CSV file"),
    "load.sheet_not_found": ("シートがありません（ブックにあるシート: {sheets}）", "sheet not found (the workbook has: {sheets})"),
    "load.bad_workbook": ("Excel ブックとして読めません（{reason}）。Excel から .xlsx で保存してください", "cannot be read as an Excel workbook ({reason}); save it from Excel as .xlsx"),
    "load.uncalculated": ("セル {cell} は数式 {formula} をもちますが、計算した値がありません（最後に Excel で保存されていません）。Excel で開いて保存するか、値を貼り付けてください",
                          "cell {cell} holds the formula {formula} but no calculated value (the workbook was not last saved by Excel); open and save it in Excel, or paste the value"),
    "load.open_quote": ("この行で開いた引用符（\"）が閉じていないため、ファイルの残りが一つのセルになります。閉じるか消してください",
                        "a quote (\") opened in this row is never closed, so the rest of the file would be one cell: close it or delete it"),
    "load.huge_cell": ("{limit} 文字を超えるセルがあり、表計算のセル（32,767 文字）よりずっと長いです。ここで開いた引用符（\"）が閉じていないのでは?",
                       "has a cell longer than {limit} characters, far more than a spreadsheet cell holds (32,767): is a quote (\") opened here never closed?"),
    "load.after_quote": ("引用符で囲んだセルが閉じ引用符の後に続いています。引用符の中では引用符を二つ（\"\"）書いてください",
                         "a quoted cell goes on after its closing quote: inside a quoted cell, write a quote as two (\"\")"),
    "load.bad_csv": ("CSV として正しくありません（{reason}）", "is not well-formed CSV ({reason})"),
    "load.empty": ("空です: 見出しの行と少なくとも一つのデータ行が必要です", "is empty: it needs a header row and at least one data row"),
    "load.column_twice": ("列が二度あります", "column appears twice"),
    "load.column_missing": ("必須の列がありません", "required column is missing"),
    "load.unknown_column": ("kouiki の知らない列です（使える列: {valid}。メモとして残すなら '<名前>_note' と名付けてください）",
                            "is not a column kouiki knows (valid: {valid}; name it '<something>_note' to keep it as a note)"),
    "load.too_many_cells": ("セルが {cells} 個ありますが見出しは {header} 列です（余分なコンマか引用符?）", "has {cells} cells but the header has {header} (a stray comma or quote?)"),
    "load.required_empty": ("必須ですが空です", "is empty but required"),
    "load.line_break": ("'{value}' はセルの中に改行があります。ID や数は一行に収めてください", "'{value}' has a line break inside the cell; an id or a number must fit on one line"),
    "load.and_more_rows": ("（ほか {count} 行）", " (and {count} more rows)"),
    "load.unnamed": ("見出しが空の {position} 列目に '{value}' があります{more}。列に名前を付ける（'_note' で終わる名前ならメモ）か、消してください",
                     "has '{value}' in column {position}, whose header is empty{more}: name the column (a name ending in '_note' keeps it as a note) or clear it"),
    "load.no_rows": ("見出しはありますがデータ行がありません", "has a header but no data rows"),
    "load.no_such_path": ("そのようなファイルもフォルダもありません（同梱の事例: {names}）", "no such file or folder (bundled instances: {names})"),
    "load.did_you_mean": ("。{names} のことですか?", "; did you mean {names}?"),
    "load.known": ("（あるもの: {names}）", " (known: {names})"),
    "load.unknown": ("不明な{kind} '{value}'{hint}", "unknown {kind} '{value}'{hint}"),
    "load.kind_method": ("連携手法", "method"),
    "load.kind_category": ("区分", "category"),
    "load.kind_municipality": ("市町村", "municipality"),
    "load.kind_task": ("事務", "task"),
    "load.same_id": ("。そこでは {written} と書かれています: 全角と半角は同じ ID です", ", written {written} there: full-width and half-width forms are the same id"),
    "load.duplicate": ("{what} {value} が重複しています（最初は {row} 行目{same}）", "duplicate {what} {value} (first on row {row}{same})"),
    "load.what_method": ("連携手法", "method"),
    "load.what_municipality": ("市町村", "municipality"),
    "load.what_task": ("事務", "task"),
    "load.what_task_and_municipality": ("事務と市町村", "task and municipality"),
    "load.what_pair": ("組", "pair"),
    "load.old_xls": ("古い形式の Excel ファイルです。.xlsx（Excel ブック）か CSV UTF-8 で保存してください", "is an old-format Excel file; save it as .xlsx (Excel workbook) or as CSV UTF-8"),
    "load.min_members": ("1 以上でなければなりません（中心団体も数えます）", "must be at least 1 (the hub counts)"),
    "load.duplicate_pair": ("組 {category} / {method} が重複しています", "duplicate pair {category} / {method}"),
    "load.category_unlisted": ("区分 '{category}' は互換表に行がないため、どの手法も使えません", "category '{category}' has no row in the compatibility table, so no method is allowed for it"),
    "load.task_unknown": ("事務 '{value}' は tasks.csv にありません", "task '{value}' is not in tasks.csv"),
    "load.not_in_municipalities": ("{text}（municipalities.csv にありません）", "{text} (not in municipalities.csv)"),
    "load.cost_too_large": ("単独費用が年 {cost} 円になり（fixed_cost + unit_cost × volume^scale_elasticity、tasks.csv {row} 行目）、10^15 を超えます。単位を確かめてください",
                            "gives a standalone cost of {cost} yen a year (fixed_cost + unit_cost × volume^scale_elasticity, tasks.csv row {row}), more than 10^15: check the units"),
    "load.task_no_rows": ("事務 '{task}' には {file} に行がありません", "task '{task}' has no rows in {file}"),
    "load.listed_twice": ("'{value}' が二度挙がっています", "'{value}' is listed twice"),
    "load.hub_not_participant": ("中心団体 '{hub}' は参加団体に含まれていなければなりません", "the hub '{hub}' must be one of the participants"),
    "load.unreadable": ("読めません（{reason}）", "cannot be read ({reason})"),
    # ------------------------------------------------------------ legal reasons (model/legal.py)
    "legal.yen": ("{amount} 円", "{amount} yen"),
    "legal.l2": ("{method}（{method_id}）は区分 {category} には認められていません", "{method} ({method_id}) is not allowed for category {category}"),
    "legal.l3_flag": ("{task} は中核市事務で、{hub} には中核市の権限がありません（core_city = 0）",
                      "{task} is a 中核市 affair and {hub} has no core-city powers (core_city = 0)"),
    "legal.l3_population": ("{task} は中核市事務で、{hub} には中核市の権限がありません: 人口 {population} 人は {threshold} 人未満",
                            "{task} is a 中核市 affair and {hub} has no core-city powers: {population} people, fewer than {threshold}"),
    "legal.l4": ("{hub} は連携中枢都市圏の連携協約を主導できません: {failed}", "{hub} cannot lead a 連携中枢都市圏 agreement: {failed}"),
    "legal.l4_a": ("(A) 中核市の権限も人口 {threshold} 人もありません（{population} 人）", "(A) it has neither core-city powers nor {threshold} people ({population})"),
    "legal.l4_b_missing": ("(B) 昼夜間人口比率がありません（day_night_ratio が空欄）", "(B) its day/night population ratio is missing (day_night_ratio is blank)"),
    "legal.l4_b_low": ("(B) 昼夜間人口比率 {ratio} が {threshold} 未満です", "(B) its day/night population ratio {ratio} is below {threshold}"),
    "legal.l4_c_missing": ("(C) 三大都市圏にあり、通勤の割合がありません（metro_commute_share が空欄）",
                           "(C) it lies in the three metropolitan areas and its commuting share is missing (metro_commute_share is blank)"),
    "legal.l4_c_high": ("(C) 住民の {share} が政令市・特別区へ通勤しています（{limit} 未満が要件）",
                        "(C) {share} of its residents commute to a designated city or the 23 wards (must be under {limit})"),
    "legal.l5_prefecture": ("県 {party} は {method}（{method_id}）に加われません", "the prefecture {party} cannot be a party to {method} ({method_id})"),
    "legal.l5_reach": ("{member} は中心団体 {hub} に届きません（reach.csv に行がない）", "{member} cannot reach hub {hub} (no row in reach.csv)"),
    "legal.l5_members": ("{method} には {need} 団体が必要ですが、{hub} に加われるのは最大 {most} 団体です",
                         "{method} needs {need} participants and at most {most} can join at {hub}"),
    "legal.l8": ("{party} は {task} に加わる意思がありません（willing = 0）", "{party} is not willing to take part in {task} (willing = 0)"),
    "legal.l9_share": ("{member} は {task} を {method} で行うと {payment} 円を支払い、単独費用 {standalone} 円の {share} を超えます",
                       "{member} would pay {payment} yen for {task} under {method}, more than {share} of its standalone cost {standalone} yen"),
    "legal.l9": ("{member} は {task} を {method} で行うと {payment} 円を支払い、単独で行う場合（{standalone} 円）より多くなります",
                 "{member} would pay {payment} yen for {task} under {method}, more than doing it alone ({standalone} yen)"),
    "legal.forbidden": ("{task} には {method} は使えません（{what}）", "{method} is forbidden for {task} ({what})"),
    "legal.stays_out": ("{municipality} は加わりません（--exclude {municipality}）", "{municipality} stays out (--exclude {municipality})"),
    # ------------------------------------------------------------ evaluator re-check (model/evaluate.py)
    "eval.two_arrangements": ("{municipality} が {task} の連携に二つ加わっています", "{municipality} is in two arrangements of {task}"),
    "eval.method_unavailable": ("{task}: 手法 {method} は使えません", "{task}: method {method} is not available"),
    "eval.leads_two": ("{hub} が {task} の連携を二つ主導しています", "{hub} leads two arrangements of {task}"),
    "eval.cannot_host": ("{hub} は中心団体になれません（can_host = 0）が {task} を主導しています", "{hub} cannot host (can_host = 0) but leads {task}"),
    "eval.too_few": ("{task}（{method}、{hub}）の参加団体は {count} で、{need} 未満です", "{task} by {method} at {hub} has {count} participants, fewer than {need}"),
    "eval.no_row": ("{municipality} は {task} の行がないのに {hub} の連携に加わっています", "{municipality} joins {task} at {hub} without a row for {task}"),
    "eval.over_cap": ("{hub} の純負担 {burden} 円が上限 {cap} 円を超えています", "{hub}'s net burden {burden} yen exceeds its cap {cap} yen"),
    "eval.staff": ("{hub} には職員 {need} 人が必要で、上限 {capacity} 人を超えます", "{hub} needs {need} staff, more than its capacity {capacity}"),
    "eval.must_alone": ("{municipality} は {task} に必ず加わるはずが単独で行っています", "{municipality} must take part in {task} but does it alone"),
    "eval.too_many": ("連携が {count} 件あり、上限 {allowed} 件を超えます", "{count} arrangements, more than the {allowed} allowed"),
    "eval.forbidden_used": ("{task} が禁止された手法 {method} を使っています", "{task} uses the forbidden method {method}"),
    "eval.excluded_joins": ("{municipality} は除外されたのに {task} に加わっています", "{municipality} was excluded but takes part in {task}"),
    "eval.forced_missing": ("指定した連携 {label} がありません", "the forced arrangement {label} is missing"),
    "eval.required_missing": ("{municipality} は {task} に加わるはずが加わっていません", "{municipality} was required to take part in {task} but does not"),
    "eval.current_dissolved": ("現在の連携 {task}（{method}、{hub}）が解消されたか参加団体が減りました",
                               "the arrangement in force {task} by {method} at {hub} was dissolved or lost members"),
    # ------------------------------------------------------------ explanations (kouiki/explain.py)
    "explain.cap": ("{hub} の純負担は {money} を超えられません（{source}）", "{hub}'s net burden may not exceed {money} ({source})"),
    "explain.cap_own": ("municipalities.csv の burden_cap", "its burden_cap in municipalities.csv"),
    "explain.cap_option": ("--burden-cap", "--burden-cap"),
    "explain.cap_default": ("--burden-cap、既定は 0", "--burden-cap, by default 0"),
    "explain.staff": ("{hub} の職員の上限は {capacity} 人です", "{hub}'s staff capacity is {capacity} FTE"),
    "explain.must": ("{municipality} は {task} に必ず加わります（willing = must）", "{municipality} must take part in {task} (willing = must)"),
    "explain.max_arrangements": ("連携は {count} 件まで（--max-arrangements）", "at most {count} arrangements (--max-arrangements)"),
    "explain.no_plan_rules": ("このデータでは法令上のルールを満たす案がありません", "no plan satisfies the legal rules with this data"),
    "explain.reason_rule": ("{reason}（{rule}）", "{reason} ({rule})"),
    "explain.and_more": ("ほか {count} 件", "and {count} more"),
    "explain.no_host": ("中心団体になれる団体がこの事務を主導できません", "no municipality that can host may lead it"),
    "explain.force_no_host": ("{label}: {hub} は中心団体になれません（can_host = 0）", "{label}: {hub} cannot host arrangements (can_host = 0)"),
    "explain.impossible": ("{label} は実現できません: {why}", "{label} is impossible: {why}"),
    "explain.require_no_row": ("{label}: {municipality} には {task} の行がなく、主導もできません", "{label}: {municipality} has no row for {task} and cannot lead it"),
    "explain.keep_current_label": ("--keep-current（{task}、{method}、{hub}、current.csv {row} 行目）",
                                   "--keep-current ({task} by {method} at {hub}, current.csv row {row})"),
    "explain.member_no_row": ("{municipality} には {task} の行がありません", "{municipality} has no row for {task}"),
    "explain.what_if": ("{label}（{source}）", "{label} ({source})"),
    "explain.even_without": ("条件をすべて外しても案はありません:", "even without any what-if no plan exists:"),
    "explain.runs_through": ("衝突は {rule} を通ります: このルールがなければ案があります", "the conflict runs through {rule}: without it a plan would exist"),
    "explain.another_conflict": ("他の条件の間にも別の衝突が残っています: これを解くだけでは足りません",
                                 "another conflict remains among the other what-ifs: resolving this one is not enough"),
    "explain.with_background": ("{labels} を適用したうえで", "with {labels} applied"),
    # ------------------------------------------------------------ engine sentences
    "engine.no_plan_in_time": ("制限時間 {seconds} 秒のうちに、すべてのルールを満たす案が見つかりませんでした。--time-limit を長くしてください",
                               "the time limit of {seconds} s ran out before any plan satisfying every rule was found; try a longer --time-limit"),
    "engine.no_plan_in_time_caps": ("制限時間 {seconds} 秒のうちに、正確な費用で負担上限をすべて守る案が見つかりませんでした。--time-limit を長くしてください",
                                    "the time limit of {seconds} s ran out before any plan keeping every burden cap under the exact costs was found; try a longer --time-limit"),
    "engine.stopped_no_plan": ("HiGHS が案なしで止まりました（状態: {status}）", "HiGHS stopped without a plan (status: {status})"),
    "engine.breaks_rule": ("ソルバーの案がルールを破っています: {details}", "the solver's plan breaks a rule: {details}"),
    "engine.breaks_cap": ("ソルバーの案が正確な費用で負担上限を破っています: {details}", "the solver's plan breaks a burden cap under the exact costs: {details}"),
    "engine.disagree": ("ソルバーの目的値 {objective} 円と正確な評価 {exact} 円が合いません", "the solver's objective {objective} yen and the exact evaluation {exact} yen disagree"),
    "engine.groups_break": ("独立した地域ごとの案を合わせるとルールを破ります: {details}", "the plans of independent groups break a rule together: {details}"),
    "engine.no_bound": ("HiGHS が上界を得る前に時間切れになりました: 最善からの距離は不明です",
                        "stopped by the time limit before HiGHS had any bound: how far this plan is from the best is unknown"),
    "engine.stopped_before_plan": ("HiGHS は、すべてのルールを満たす案を見つける前に止まりました", "HiGHS stopped before any plan satisfying every rule was found"),
    "engine.no_bound_groups": ("時間切れで止まりました: 最善からの距離は不明です（{count} 地域を別々に解いた）",
                               "stopped by the time limit: how far this plan is from the best is unknown ({count} groups solved apart)"),
    "term.options_cut_short": ("案 {asked} 件のうち {found} 件が見つかりました: 案 {next} を探す前に制限時間が切れました",
                               "{found} of {asked} options found: the time limit ran out before option {next} was found"),
    "term.sweep_cut_short": ("負担上限 {planned} 点のうち {done} 点を解きました: {cap} の前に制限時間が切れました",
                             "{done} of {planned} burden caps solved: the time limit ran out before {cap}"),
    "cli.out_of_time": ("制限時間 {seconds} 秒のうちに案が見つかりませんでした。--time-limit を長くしてください",
                        "the time limit of {seconds} s ran out before any plan was found; try a longer --time-limit"),
    "cli.why_not_sweep": ("--why-not は一つの案について答えるもので、--sweep とは一緒に使えません",
                          "--why-not answers for one plan; it cannot be combined with --sweep"),
    "engine.within": ("時間切れで止まりました: 案は最善から最大 {gap} 以内です", "stopped by the time limit: the plan is within {gap} of the best possible"),
    "engine.within_groups": ("時間切れで止まりました: 案は最善から最大 {gap} 以内です（{count} 地域を別々に解いた）",
                             "stopped by the time limit: the plan is within {gap} of the best possible ({count} groups solved apart)"),
    "engine.verify_failed": ("--verify: 同じ選択と種 {seed} で HiGHS は節減額 {second} 円になり、{first} 円ではありません",
                             "--verify: with the same choices and seed {seed}, HiGHS reached {second} yen of savings, not {first} yen"),
    "engine.cap_below_zero": ("{hub} の負担上限 {cap} 円は 0 未満ですが、主導できる連携も交付金もないので純負担は 0 のままです",
                              "{hub} has a burden cap of {cap} yen below zero but can lead no arrangement and receives no grant, so its net burden stays 0"),
    "engine.must_no_arrangement": ("{municipality} は {task} に必ず加わりますが、{task} にはそれを含められる合法な連携がありません",
                                   "{municipality} must take part in {task}, but no legal arrangement of {task} can include it"),
    "engine.force_no_arrangement": ("{label} には合法な連携がありません", "{label} has no legal arrangement"),
    "engine.require_no_arrangement": ("--require {task}:{municipality} には合法な連携がありません", "--require {task}:{municipality} has no legal arrangement"),
    "engine.keep_current_illegal": ("--keep-current: {task}（{method}、{hub}）はもう合法ではありません", "--keep-current: {task} by {method} at {hub} is no longer legal"),
    "engine.no_candidates": ("モデルに法令上可能な連携がなく、書き出すものがありません", "the model has no legally possible arrangement: there is nothing to write"),
    "engine.wrote_model": ("{path} を書きました: 可能な連携 {count}、変数 {variables}、制約 {constraints}",
                           "Wrote {path}: {count} arrangements possible, {variables} variables, {constraints} constraints"),
    "engine.highs_write_failed": ("HiGHS は {path} を書けませんでした（{status}）", "HiGHS could not write {path} ({status})"),
    # ------------------------------------------------------------ workbook and figures
    "xlsx.summary_sheet": ("案の一覧", "summary"),
    "xlsx.arrangements_sheet": ("連携", "arrangements"),
    "xlsx.participation_sheet": ("参加", "participation"),
    "xlsx.ledger_sheet": ("団体の収支", "ledger"),
    "xlsx.tradeoff_sheet": ("トレードオフ", "tradeoff"),
    "xlsx.infeasibility_sheet": ("案がない理由", "infeasibility"),
    "xlsx.texts_sheet": ("違いの一覧", "differences"),
    "xlsx.overview_sheet": ("概要", "overview"),
    "xlsx.overview_title": ("広域連携の検討結果", "Wide-area cooperation: results"),
    "xlsx.instance": ("事例", "Instance"),
    "xlsx.file": ("ファイル", "File"),
    "xlsx.checksum": ("チェックサム（SHA-256）", "Checksum (SHA-256)"),
    "xlsx.language": ("言語", "Language"),
    "xlsx.what_ifs": ("条件（ワークショップ）", "What-ifs (workshop)"),
    "xlsx.no_what_if": ("なし（基本の条件）", "none (the base case)"),
    "xlsx.totals": ("合計", "Totals"),
    "xlsx.total": ("合計", "Total"),
    "xlsx.columns": ("列の意味", "What each column means"),
    "xlsx.sheet": ("シート", "Sheet"),
    "xlsx.column": ("列", "Column"),
    "xlsx.meaning": ("意味", "Meaning"),
    "xlsx.see_sheet": ("→ シート「{sheet}」{row} 行目", "→ sheet '{sheet}' row {row}"),
    "xlsx.option_savings": ("案{n}の節減額（円/年）", "Option {n}: savings (yen/yr)"),
    "xlsx.option_cost": ("案{n}の地域全体の費用（円/年）", "Option {n}: regional cost (yen/yr)"),
    "xlsx.money_note": ("金額はすべて円/年、整数に丸めています。純負担が負なら中心団体は持ち出しなし・収入超過です。",
                        "All money is yen a year, rounded to whole yen. A negative net burden means the hub comes out ahead."),
    # ------------------------------------------------------------ what each report column means (workbook 概要)
    "column.option": ('案の番号。0 は現在の連携（現状）、1 は最善の案', 'Option number: 0 is the arrangements in force (status quo), 1 the best plan'),
    "column.total_savings": ('地域全体の節減額: 参加団体が単独で行う費用 − 共同の運営費 − 連携の費用', 'Savings of the region: what the participants would pay alone − pooled operating cost − arrangement costs'),
    "column.change_vs_status_quo": ('現状（案0）と比べた節減額の差', 'Savings against the status quo (option 0)'),
    "column.max_net_burden": ('中心団体の純負担のうち最大のもの（負なら収入超過）', 'The largest net burden of a hub (negative: the hub comes out ahead)'),
    "column.max_net_burden_hub": ('その最大の純負担を負う中心団体', 'The hub carrying that largest net burden'),
    "column.shared_tasks": ('共同化する事務の数', 'Number of tasks shared'),
    "column.arrangements": ('連携の数（事務・手法・中心団体の組）', 'Number of arrangements (task, method, hub)'),
    "column.status": ('最適（証明済み）・最善から何%以内・時間切れ', 'Optimal (proven), within x% of the best, or stopped by the time limit'),
    "column.mip_gap": ('最善の可能性との相対的な差（0 なら最適）', 'Relative distance to the best possible (0: optimal)'),
    "column.seconds": ('計算にかかった秒数', 'Seconds the computation took'),
    "column.percent_of_best": ('最善の案の節減額に対する割合', "Savings as a share of the best plan's"),
    "column.choices_vs_option_1": ('案1と比べて追加・廃止する連携', 'Arrangements added or dropped against option 1'),
    "column.choices_vs_status_quo": ('現状と比べて追加・廃止する連携', 'Arrangements added or dropped against the status quo'),
    "column.regional_cost": ('地域全体の費用（各団体の計画での費用の合計）。合併などで団体が変わる比較はこの額で', 'What the whole region pays under the plan; compare plans with different parties (a merger) by this'),
    "column.task": ('事務（tasks.csv の ID）', 'Task (its id in tasks.csv)'),
    "column.method": ('連携手法の ID', 'Cooperation method id'),
    "column.method_ja": ('連携手法の名前', 'Cooperation method name'),
    "column.hub": ('中心団体（事務を主導する団体）', 'Hub: the municipality that leads the arrangement'),
    "column.participants": ('参加団体（中心団体を含む）', 'Participants, the hub included'),
    "column.pooled_volume": ('参加団体の事務量の合計', "Participants' workload added up"),
    "column.standalone_total": ('参加団体が単独で行う場合の費用の合計', 'What the participants would pay doing it alone'),
    "column.operating_cost": ('共同で行う運営費', 'Pooled operating cost'),
    "column.arrangement_cost": ('連携そのものの費用（協議・事務局など）', 'Cost of the arrangement itself (coordination, secretariat)'),
    "column.payments_in": ('参加団体から中心団体への支払（委託料・負担金）', "Members' payments to the hub (fees and contributions)"),
    "column.savings": ('この連携による節減額', 'Savings of this arrangement'),
    "column.municipality": ('市町村（municipalities.csv の ID）', 'Municipality (its id in municipalities.csv)'),
    "column.standalone_cost": ('単独で行う場合の費用', 'What it would pay doing the task alone'),
    "column.payment": ('参加団体として支払う額', 'What it pays as a member'),
    "column.saving": ('単独で行う場合と比べた節減額', 'What it saves against doing it alone'),
    "column.role": ('区分: 中心市・町村・県', 'Role: central city, town or prefecture'),
    "column.cost_under_plan": ('計画のもとでの費用', 'What it pays under the plan'),
    "column.net_burden": ('中心団体の純負担: 主導にかかる費用から支払と交付金を引いた額（負なら収入超過）', "A hub's net burden: what leading costs it beyond payments and grants (negative: it comes out ahead)"),
    "column.burden_cap": ('純負担の上限', 'Cap on the net burden'),
    "column.grants": ('交付金等（地域外から）', 'Grants (from outside the region)'),
    "column.towns_joining": ('参加する町の数', 'Towns joining'),
    "column.rule": ('ルール（L1–L10）またはワークショップの条件', 'Rule (L1–L10) or workshop what-if'),
    "column.explanation": ('説明', 'Explanation'),
    "plot.participation": ("参加の状況（{left} と {right}）", "Who takes part, by which method ({left} and {right})"),
    "plot.option": ("案{n}", "option {n}"),
    "plot.status_quo": ("現状", "status quo"),
    "plot.alone": ("単独で実施", "alone"),
    "plot.prefecture": ("県が実施（中核市事務）", "left to the prefecture (core-city affair)"),
    "plot.no_row": ("事務なし", "no such task"),
    "plot.hub": ("中心団体", "hub"),
    "plot.burden": ("節減額と中心団体の純負担（案{n}）", "Savings and hubs' net burden (option {n})"),
    "plot.saving": ("節減額（すべて単独で行う場合との差）", "saving (against doing everything alone)"),
    "plot.net_burden": ("純負担（中心団体の持ち出し）", "net burden (hub's outlay)"),
    "plot.gain_short": ("収入超過", "ahead by"),
    "plot.gain": ("収入超過（中心団体が得をする）", "gain (the hub comes out ahead)"),
    "plot.cap": ("負担上限 {money}", "burden cap {money}"),
    "plot.money": ("万円/年", "million yen a year"),
    "plot.tradeoff": ("負担上限と節減額のトレードオフ", "Trade-off: burden cap against savings"),
    "plot.cap_axis": ("中心団体の負担上限（万円/年）", "burden cap on each hub (million yen a year)"),
    "plot.savings_axis": ("地域の節減額（万円/年）", "savings of the region (million yen a year)"),
    "plot.infeasible": ("計画なし", "no plan"),
    "plot.computed": ("計算した点（間は計算していない）", "computed points (nothing computed between them)"),
    # ---- subcommands: allocate template / generate / batch / serve (their --help, output and refusals)
    "help.batch": ("allocate batch PATH SCENARIOS — 名前を付けた複数のシナリオを並列に解いて比べる",
                   "allocate batch PATH SCENARIOS — solve a battery of named scenarios in parallel and compare them"),
    "help.serve": ("allocate serve PATH — ブラウザで条件を試すワークショップ画面", "allocate serve PATH — the workshop screen: try what-ifs in a browser"),
    "help.lang_printed": ("表示する文の言語（既定 ja）。", "Language of what is printed (default ja)."),
    "sub.cannot_write": ("{path} に書き込めません: {reason}", "cannot write {path}: {reason}"),
    "template.about": ("記入用の事例のひな形を書きます。各表に見出しと見本の行が入り、説明（README）が付きます。",
                       "Write an empty instance to fill in: every table with its header and an example row, and a README."),
    "template.target": ("TARGET は新しいフォルダ（CSV ファイルと README.md）か、.xlsx で終わるブックの名前（表ごとのシートと README シート）です。"
                        "どちらも書いたままで allocate TARGET --check が通ります。",
                        "TARGET is a new folder (CSV files and README.md) or a workbook name ending in .xlsx (a sheet per table and a "
                        "README sheet). Either passes allocate TARGET --check as written."),
    "template.overwrite": ("空でない既存のフォルダやブックを置き換える。", "Replace an existing non-empty folder or workbook."),
    "template.workbook_exists": ("{path} はすでにあります。別の名前にするか --overwrite を付けてください",
                                 "{path} already exists; choose another name or add --overwrite"),
    "template.folder_exists": ("{path} はすでにあり空ではありません。別のフォルダにするか --overwrite を付けてください",
                               "{path} already exists and is not empty; choose another folder or add --overwrite"),
    "template.written": ("ひな形を {path} に書きました: {files}", "Template written to {path}: {files}"),
    "template.next": ("見本の行をあなたの地域のデータに置き換えたら、次のコマンドで検査してください: allocate {path} --check",
                      "Replace the example rows with your region's data, then: allocate {path} --check"),
    "generate.about": ("検査を通る合成の事例（日本の市町村に似せた規模）を OUTDIR に書きます。ベンチマークや試行に使います。",
                       "Write a valid synthetic instance into OUTDIR (for benchmarks and trials)."),
    "generate.outdir": ("OUTDIR は新しいフォルダか空のフォルダです。--preset を付けなければ市町村 60、事務 60、中心団体 6、県 1 で作ります。",
                        "OUTDIR is a new or empty folder. Without --preset: 60 municipalities, 60 tasks, 6 hubs, 1 prefecture."),
    "generate.preset": ("prefecture は市町村 60 × 事務 60 × 中心団体 6、national は 47 都道府県の市町村 1,741 × 事務 100 × 中心団体 80。",
                        "prefecture: 60 municipalities × 60 tasks × 6 hubs; national: 1,741 municipalities in 47 prefectures × 100 tasks × 80 hubs."),
    "generate.municipalities": ("市町村の数。", "Number of municipalities."),
    "generate.tasks": ("共同化を検討する事務の数。", "Number of candidate tasks."),
    "generate.hubs": ("中心団体の数（人口の多い市町村から選ぶ）。", "Number of hubs (the largest municipalities)."),
    "generate.prefectures": ("この数の県に分ける（連携は同じ県の中でだけ届く）。", "Split into this many prefectures (reach stays inside one)."),
    "generate.seed": ("乱数の種（既定 1）。同じ種からは同じ事例ができます。", "Random seed (default 1): the same seed gives the same instance."),
    "generate.hubs_exceed": ("--hubs（{hubs}）は --municipalities（{municipalities}）を超えられません",
                             "--hubs ({hubs}) cannot exceed --municipalities ({municipalities})"),
    "generate.prefectures_exceed": ("県が {prefectures} あるには、市町村も少なくとも同じ数だけ必要です（--municipalities {municipalities}）",
                                    "{prefectures} prefectures need at least as many municipalities (--municipalities {municipalities})"),
    "generate.hubs_too_few": ("県ごとに中心団体が一つ要るため、--hubs（{hubs}）は --prefectures（{prefectures}）以上にしてください",
                              "every prefecture needs a hub: --hubs ({hubs}) must be at least --prefectures ({prefectures})"),
    "generate.not_empty": ("{folder} はすでにあり、空のフォルダではありません。別のフォルダを選んでください",
                           "{folder} exists and is not an empty folder; choose another folder"),
    "generate.wrote": ("{folder} に書きました: 市町村 {municipalities}、事務 {tasks}、中心団体 {hubs}、事務の行 {rows}（種 {seed}）",
                       "Wrote {folder}: {municipalities} municipalities, {tasks} tasks, {hubs} hubs, {rows} task rows (seed {seed})"),
    "batch.about": ("事例 PATH について SCENARIOS のシナリオをすべて並列に解き、比べます。",
                    "Solve every scenario of SCENARIOS for the instance PATH, in parallel, and compare them."),
    "batch.scenarios": ("SCENARIOS は列 scenario,what_if,argument の CSV（同じ名前の行が集まって一つのシナリオ、名前だけの行は条件なしの実行）か、"
                        "--whatif ファイルを入れたフォルダ（ファイル一つが一つのシナリオ）です。",
                        "SCENARIOS is a CSV with columns scenario,what_if,argument (several rows make one scenario; a row with only a name "
                        "is the plain run) or a folder of --whatif files (one scenario per file)."),
    "batch.folders": ("各シナリオの報告書は、シナリオ名と入力のハッシュを名前にしたサブフォルダに書きます。やり直すと終わったシナリオは飛ばします。"
                      "comparison.csv と comparison_participation.csv がシナリオを比べます。",
                      "Each scenario's reports go into a subfolder named by the scenario and a hash of its inputs; a rerun skips the "
                      "finished ones. comparison.csv and comparison_participation.csv compare them."),
    "batch.exit_codes": ("終了コード: 0 すべてのシナリオを実行した（結果は問わない）、2 入力の誤り、4 いずれかのシナリオで内部エラー、"
                         "130 中断（終わったシナリオは残る）。",
                         "Exit codes: 0 every scenario ran (whatever its outcome), 2 bad input, 4 internal error in some scenario, "
                         "130 interrupted (finished scenarios kept)."),
    "batch.out": ("シナリオをまとめて書くフォルダ（既定 results/<事例>-<シナリオ>）。同じフォルダでやり直すと続きから再開します。",
                  "Battery folder (default results/<instance>-<scenarios>); a rerun resumes it."),
    "batch.workers": ("この機械で使うワーカープロセスの数（既定は CPU のコア数）。", "Local worker processes (default: the number of cores)."),
    "batch.scheduler": ("シナリオをこの Dask スケジューラに送る（$DASK_SCHEDULER_ADDRESS でも指定可）。そのワーカーには kouiki と事例のファイルが必要です。",
                        "Send the scenarios to this Dask scheduler (also $DASK_SCHEDULER_ADDRESS); its workers need kouiki installed and "
                        "the instance files."),
    "batch.time_limit": ("シナリオ一つあたりの制限時間（秒）。", "Seconds per scenario."),
    "batch.threads": ("シナリオ一つあたりのソルバーのスレッド数。", "Solver threads per scenario."),
    "batch.quiet": ("進み具合を表示せず、誤りとフォルダだけを表示する。", "No progress; print only errors and the battery folder."),
    "batch.xlsx": ("シナリオごとの report.xlsx と comparison.xlsx（シート「比較」）も書く。",
                   "Also write report.xlsx per scenario and comparison.xlsx (sheet 比較)."),
    "batch.plots": ("シナリオごとの図と comparison.png も書く。kouiki[plots] が必要。",
                    "Also write figures per scenario and comparison.png. Needs kouiki[plots]."),
    "batch.cannot_create": ("シナリオをまとめるフォルダ {folder} を作れません: {reason}", "cannot create the battery folder {folder}: {reason}"),
    "serve.about": ("ワークショップ画面を開きます。ブラウザで条件を試し、試した案をすべて残して比べられます。",
                    "The workshop screen: try what-ifs in a browser, keep and compare every scenario."),
    "serve.path": ("PATH は allocate PATH と同じです（instance.csv、フォルダ、ブック、または kensei）。事例は始めに一度だけ読んで検査します。",
                   "PATH is what allocate PATH takes (an instance.csv, a folder, a workbook, or kensei); it is read and checked once, "
                   "at the start."),
    "serve.port": ("待ち受けるポート（既定 8765。0 なら空いている番号）。", "Port to listen on (default 8765; 0: any free port)."),
    "serve.host": ("待ち受けるアドレス（既定 127.0.0.1）。ループバック以外のアドレスでは、条件を変えるのに起動時に表示されるトークンが要ります。",
                   "Address to listen on (default 127.0.0.1); any non-loopback address needs the printed token to change anything."),
    "serve.open": ("既定のブラウザで画面を開く。", "Open the page in the default browser."),
    "serve.time_limit": ("条件一つを解くのにかけてよい秒数。", "Seconds each what-if may take to solve."),
    "serve.lang": ("ここに表示する文の言語（既定 ja。画面の言語は画面の中で切り替えられます）。",
                   "Language of the messages printed here (default ja; the screen switches its own)."),
    # ------------------------------------------------------------ options that differ (kouiki/alternatives.py)
    "alt.join": ("{who}が{task}に参加", "{who} join {task}"),
    "alt.leave": ("{who}が{task}から離脱", "{who} leave {task}"),
    "alt.method": ("{task}は{old}から{new}へ", "{task}: {old} → {new}"),
    "alt.hub": ("{task}の中心団体は{old}から{new}へ", "{task}: hub {old} → {new}"),
    "alt.same": ("変更なし", "no change"),
    "alt.decisions": ("参加の決定 {n} 件が変わる", "{n} participation decisions change"),
    "alt.fewer": ("案は {found} 件のみ: 節減額が最善の {floor:.1%} 以上で、参加の決定が {k} 件以上異なる案はほかにない", "only {found} option(s): no other plan saves at least {floor:.1%} of the best and changes at least {k} participation decision(s)"),
    "alt.slack": ("代替案は最善の案の節減額の {floor:.1%} 以上（--slack {slack:g}）", "alternatives save at least {floor:.1%} of the best (--slack {slack:g})"),
    # ------------------------------------------------------------ fairness (kouiki/fairness.py)
    "fair.heading": ("  節減額の配分（節減額の割合／単独費用の割合）: ", "  Share of savings / share of standalone costs: "),
    "fair.entry": ("{who} {saving:.1%}／{cost:.1%}", "{who} {saving:.1%}/{cost:.1%}"),
    "fair.dominant": ("  注意: {who}が節減額の {share:.1%} を得る（{limit:.0%} 超、--fair-share）", "  warning: {who} takes {share:.1%} of the savings (more than {limit:.0%}, --fair-share)"),
    "fair.thin": ("  注意: {who}は{task}で単独費用の {share:.2%} しか節減しない（{limit:.0%} 未満、--fair-saving）", "  warning: {who} saves only {share:.2%} of its standalone cost in {task} (less than {limit:.0%}, --fair-saving)"),
    # ------------------------------------------------------------ why not? (kouiki/why_not.py)
    "whynot.heading": ("なぜ参加しないか（案1で単独のまま、参加の意思がある事務）:", "Why not? (willing municipalities left alone in option 1):"),
    "whynot.line": ("  {task} / {who}: {text}", "  {task} / {who}: {text}"),
    "whynot.none": ("  該当なし：参加の意思がある市町村はすべて参加している", "  none: every willing municipality takes part"),
    "whynot.l9": ("L9: {method}では支払 {payment} > 単独の費用 {limit}（member_fee {fee} → {fee_even}、または fee_ratio {ratio:.4g} → {ratio_even} なら L9 は妨げない）", "L9: under {method} it would pay {payment} > its standalone cost {limit} (member_fee {fee} → {fee_even}, or fee ratio {ratio:.4g} → {ratio_even}, and L9 no longer keeps it out)"),
    "whynot.no_break_even": ("どの値でも不可", "no value"),
    "whynot.at_most": ("{value} 以下", "at most {value}"),
    "whynot.rule": ("{rule}: {reason}", "{rule}: {reason}"),
    "whynot.unreachable": ("L5: {who}は{task}を担える中心団体のどれにも届かない（reach.csv）", "L5: {who} can reach no hub that can lead {task} (reach.csv)"),
    'whynot.lower': ('参加させると地域の節減額が {loss} 減る（案1 {best}、参加させた最善の案 {forced}）', "taking part lowers the region's savings by {loss} (option 1 {best}, best plan with it {forced})"),
    "whynot.tie": ("参加させても節減額は変わらない（{forced}）：案1は同点の案の一つ", "a plan with it saves as much ({forced}): option 1 is one of equally good plans"),
    'whynot.cap': ('L6: 参加させると{hub}の純負担が上限 {cap} を {excess} 超える（上限が {even} 以上なら参加できる）', "L6: taking part pushes {hub}'s net burden {excess} over its cap {cap} (with a cap of at least {even} it could join)"),
    "whynot.other": ("参加させるとどの案も規則を満たさない: {rules}", "no plan with it keeps every rule: {rules}"),
    "whynot.infeasible": ("参加させるとどの案も規則を満たさない", "no plan with it keeps every rule"),
    "whynot.undecided": ("未決定: 持ち時間内に再計算が終わらなかった", "undecided: its re-solve did not finish within its share of the time"),
    # ------------------------------------------------------------ scenario batteries (kouiki/batch.py)
    "battery.progress": ("シナリオ", "scenarios"),
    "battery.unit": ("件", " scenario"),
    "battery.longest": ("最長: {name} {seconds:.0f} 秒", "longest: {name} {seconds:.0f} s"),
    "battery.reused": ("前回の結果を再利用: {count} 件", "reused from an earlier run: {count}"),
    "battery.done": ("{total} 件のシナリオをすべて実行しました（解あり {solved}、実行不可能 {infeasible}、時間内に解なし {no_plan}）: {folder}", "all {total} scenarios ran ({solved} solved, {infeasible} infeasible, {no_plan} without a plan in time): {folder}"),
    "battery.unreadable": ("ワーカーがインスタンス {path} を読めません（{count} 件）: {message}。クラスタでは、すべてのワーカーから同じパスで見えるフォルダを絶対パスで指定してください", "the workers cannot read the instance {path} ({count} scenario(s)): {message}; on a cluster, give a folder every worker sees at the same absolute path"),
    "battery.failed": ("{count} 件のシナリオで内部エラー（報告なし）: {names}", "internal error in {count} scenario(s), no report: {names}"),
    "battery.interrupted": ("中断しました。終わったシナリオ {done} 件は {folder} に保存済みです。同じコマンドで続きから再開できます", "interrupted; the {done} finished scenario(s) are kept in {folder}; run the same command again to resume"),
    "battery.no_scenarios": ("{file} にシナリオがありません", "{file} holds no scenario"),
    "battery.header": ("見出し行は scenario,what_if,argument にしてください", "the header must be: scenario,what_if,argument"),
    "battery.no_name": ("シナリオ名がありません", "the scenario has no name"),
    'battery.bad_name': ('シナリオ名 \'{name}\' はフォルダ名に使えません（/ \\ : * ? " < > | と先頭の . は不可、100 文字まで）', 'the scenario name \'{name}\' cannot name a folder (no / \\ : * ? " < > |, no leading dot, at most 100 characters)'),
    'battery.unknown_kind': ("不明な what-if '{kind}'{hint}", "unknown what-if '{kind}'{hint}"),
    "battery.needs_argument": ("{kind} には引数が必要です", "{kind} needs an argument"),
    "battery.not_found": ("{path} が見つかりません（CSV ファイルか、what-if ファイルのフォルダを指定してください）", "{path} does not exist (give a CSV file or a folder of what-if files)"),
    "battery.bad_input": ("入力に {count} 件の問題があります。何も実行していません", "{count} problem(s) in the input; nothing was run"),
    "battery.workers": ("{count} 件のシナリオを {where} で実行します", "running {count} scenario(s) on {where}"),
    "battery.local": ("この機械のワーカー {count} 個", "{count} local worker(s)"),
    "battery.remote": ("Dask クラスタ {address}", "the Dask cluster at {address}"),
    "battery.comparison": ("比較: {file}", "comparison: {file}"),
    'battery.duplicate': ("シナリオ名 '{name}' がフォルダ内で重複しています（大文字小文字の違いのみ）", "the scenario name '{name}' appears twice in the folder (differing only in case)"),
    # ------------------------------------------------------------ the battery's chart (kouiki/batch_plot.py)
    "chart.title": ("シナリオの比較：節減額と最大の純負担", "Scenarios compared: savings and the largest net burden"),
    "chart.savings": ("節減額", "savings"),
    "chart.burden": ("最大の純負担", "largest net burden"),
    "chart.money": ("百万円/年", "million yen a year"),
    "chart.no_plan": ("計画なし", "no plan"),
    # ------------------------------------------------------------ Dask workers (kouiki/parallel.py)
    'cluster.missing': ('並列実行には追加パッケージが必要です: pip install "kouiki[batch]"（dask[distributed] と tqdm）', 'parallel runs need the batch extra: pip install "kouiki[batch]" (dask[distributed] and tqdm)'),
    'cluster.unreachable': ('Dask のスケジューラ {address} に接続できません（{reason}）。アドレスを確かめるか、--scheduler を外してこの機械の {cores} コアで実行してください', "cannot reach the Dask scheduler at {address} ({reason}); check the address, or leave out --scheduler to use this machine's {cores} cores"),
    "cluster.no_workers": ("Dask のスケジューラ {address} にワーカーがいません（{seconds:.0f} 秒待ちました）", "the Dask scheduler at {address} has no workers (waited {seconds:.0f} s)"),
    # ------------------------------------------------------------ the workshop screen (kouiki/serve/)
    "screen.title": ("広域連携ワークショップ — {instance}", "Wide-area cooperation workshop — {instance}"),
    "screen.switch_lang": ("English", "日本語"),
    "screen.read_only": ("閲覧のみ：条件を変えるには開始時に表示されたURL（トークン付き）で開いてください。", "Read-only: open the URL printed at start (with its token) to change the what-ifs."),
    "screen.whatifs": ("条件（もしも）", "What-ifs"),
    "screen.whatifs_now": ("この案の条件", "What-ifs of this scenario"),
    "screen.no_whatifs": ("条件なし（基本の設定）", "none (the base settings)"),
    "screen.drop": ("外す", "drop"),
    "screen.add": ("追加して解く", "add and solve"),
    "screen.apply": ("設定して解く", "set and solve"),
    "screen.burden_cap": ("中心団体の負担上限（円/年、例: 1億、5000万）", "Hub burden cap (yen/yr, e.g. 1億, 5000万)"),
    "screen.exclude": ("参加しない市町村", "Municipality that stays out"),
    "screen.require": ("必ず参加（事務と市町村）", "Must take part (task and municipality)"),
    "screen.force": ("事務をこの手法で必ず連携（中心団体は任意）", "Task must use this method (hub optional)"),
    "screen.forbid": ("事務にこの手法を使わない", "Task may not use this method"),
    "screen.forbid_method": ("この手法をどこにも使わない", "No arrangement uses this method"),
    "screen.fee_ratio": ("手法ごとの負担割合（0〜1）", "Fee ratio of a method (0–1)"),
    "screen.keep_current": ("現在の連携を維持する", "Keep the arrangements in force"),
    "screen.merge": ("合併（A＋B＝新しい名前は任意）", "Merger (A + B = optional new name)"),
    "screen.max_arrangements": ("連携の数の上限", "At most this many arrangements"),
    "screen.n_options": ("案の数（異なる案をいくつ示すか）", "Number of options (distinct plans)"),
    "screen.any_hub": ("（中心団体を問わない）", "(any hub)"),
    "screen.whatif_source": ("画面の条件{n}", "screen what-if {n}"),
    "screen.status_pending": ("順番待ち…", "Waiting to be solved…"),
    "screen.status_running": ("計算中… このまま待つと結果が表示されます", "Solving… the plan appears here when ready"),
    "screen.status_solved": ("解けました", "Solved"),
    "screen.status_infeasible": ("この条件では案がありません", "No plan satisfies these what-ifs"),
    "screen.status_cancelled": ("中止しました", "Cancelled"),
    "screen.status_failed": ("計算できませんでした", "Could not be solved"),
    "screen.cancel": ("計算を中止", "Cancel the solve"),
    "screen.plan": ("連携の案", "The plan"),
    "screen.option": ("案{n}", "Option {n}"),
    "screen.option_of": ("表示する案", "Option shown"),
    "screen.status_quo": ("現状（現在の連携）", "Status quo (in force today)"),
    "screen.side_by_side": ("現状と案を並べて", "Status quo and plan side by side"),
    "screen.task": ("事務", "Task"),
    "screen.method": ("連携手法", "Method"),
    "screen.hub": ("中心団体", "Hub"),
    "screen.members": ("参加団体", "Members"),
    "screen.savings": ("節減額/年", "Savings/yr"),
    "screen.no_arrangement": ("連携なし：どの市町村もすべての事務を単独で行う", "No arrangement: every municipality does every task alone"),
    "screen.total": ("節減額の合計", "Total savings"),
    "screen.per_year": ("年 {money}", "{money} a year"),
    "screen.against_status_quo": ("現状との差", "Against the status quo"),
    "screen.arrangements_count": ("連携の数", "Arrangements"),
    'screen.burdens': ('中心団体の純負担と上限', "Hubs' net burden against the cap"),
    "screen.cap": ("上限", "cap"),
    "screen.over_cap": ("上限超過", "over the cap"),
    'screen.municipality_savings': ('市町村ごとの節減額/年', "Each municipality's saving/yr"),
    "screen.matrix": ("参加の表（事務 × 市町村、★ は中心団体）", "Participation (tasks × municipalities, ★ the hub)"),
    "screen.alone": ("単独", "alone"),
    "screen.conflict": ("次の条件どうしがぶつかっています（どれか一つを外すと解消します）:", "These conflict (drop any one of the what-ifs named and the conflict goes away):"),
    "screen.said": ("適用した条件", "What-ifs applied"),
    "screen.gap": ("ギャップ {gap}", "gap {gap}"),
    "screen.time_limit": ("時間切れ（最善とは限りません）", "stopped by the time limit (may not be the best)"),
    "screen.history": ("試した案の履歴", "Scenarios tried"),
    "screen.open": ("開く", "open"),
    "screen.rename": ("名前を変える", "rename"),
    "screen.compare": ("選んだ案を比べる", "Compare the selected"),
    "screen.compare_title": ("案の比較", "Scenarios compared"),
    "screen.compare_need_two": ("比べる案を二つ以上選んでください。", "Select two or more scenarios to compare."),
    "screen.download": ("報告一式（zip）", "Report folder (zip)"),
    "screen.back": ("戻る", "back"),
    "screen.scenario": ("案", "Scenario"),
    "screen.max_burden": ("最大の純負担", "Largest net burden"),
    "screen.joins": ("参加する事務の数", "Tasks shared"),
    "screen.not_ready": ("{name} はまだ結果がありません。", "{name} has no result yet."),
    "screen.bad_request": ("要求を受け付けられません: {reason}", "Request refused: {reason}"),
    'screen.bad_field': ('項目「{field}」の値が正しくありません', "the field '{field}' has a value that cannot be used"),
    'screen.missing_field': ('項目「{field}」がありません', "the field '{field}' is missing"),
    'screen.too_long': ('項目「{field}」が長すぎます（{limit} 文字まで）', "the field '{field}' is too long (at most {limit} characters)"),
    'screen.unknown_kind': ('条件の種類「{kind}」はありません', "there is no what-if '{kind}'"),
    "screen.no_scenario": ("案 {id} はありません", "there is no scenario {id}"),
    "screen.forbidden": ("この画面は閲覧のみです（トークンがありません）", "this screen is read-only (no token)"),
    "screen.wrong_origin": ("ほかのサイトからの送信は受け付けません", "a form sent from another site is refused"),
    "screen.queue_full": ("順番待ちの案が多すぎます。いまの計算が終わるか、中止してからもう一度どうぞ。", "Too many scenarios are waiting; let the current solve finish or cancel it, then try again."),
    "screen.history_full": ("履歴が上限（{limit} 案）に達しました。サーバーを起動し直してください。", "The history is full ({limit} scenarios); restart the server."),
    "screen.not_found": ("ページがありません", "No such page"),
    'screen.internal': ('内部エラーが起きました。サーバーの画面に詳細があります。', "An internal error happened; the server's terminal has the details."),
    'screen.money_unit': ('「{text}」は金額として読めません（例: 1億、5000万、120000000）', "'{text}' cannot be read as an amount (e.g. 1億, 5000万, 120000000)"),
    'screen.missing_extra': ('allocate serve には追加の部品が必要です（{missing} がありません）。次のコマンドで入れてください: pip install "kouiki[serve]"（ソースからは pip install ".[serve]"）', 'allocate serve needs the serve extra ({missing} is missing). Install it with: pip install "kouiki[serve]" (from a source folder: pip install ".[serve]")'),
    "screen.serving": ("ワークショップ画面を開きました: {url}\n（Ctrl-C で終了します）", "The workshop screen is at {url}\n(Ctrl-C stops it)"),
    "screen.token_note": ("ほかの端末からはこのURL（トークン付き）で開くと条件を変えられます。トークンのない人は閲覧のみです。", "From other machines, this URL (with its token) can change the what-ifs; without the token the page is read-only."),
    "screen.port_busy": ("ポート {port} は使えません（{reason}）。--port でほかの番号を指定してください。", "Port {port} cannot be used ({reason}); choose another with --port."),
    "screen.stopped": ("ワークショップ画面を終了しました。", "The workshop screen has stopped."),
}

# Sample arguments for every key (the completeness test renders each in both languages).
SAMPLE_VALUES = {
    "folder": "results/kensei", "count": 3, "seconds": "10", "detail": "PlanCheckError: …", "version": "0.1.0",
    "packages": "matplotlib", "value": "1億", "name": "kensei", "path": "instances/kensei/instance.csv",
    "file": "tasks.csv", "encoding": "UTF-8", "roles": "central 2", "role": "central", "hubs": "小田原市",
    "cities": "なし", "tasks": 19, "rows": 180, "methods": 9, "current": 4, "categories": "広域的課題 3",
    "category": "wide_area", "candidates": 120, "excluded": 40, "gap": "0.04%", "n": 2, "size": 10, "status": "optimal",
    "step": 3, "method": "事務の委託", "hub": "小田原市", "cost": "3,000万円", "money": "423,046万円", "yen": "4,230,462,486",
    "burden": "0万円", "cap": "0万円", "grants": "", "share": "97.0%", "changes": "add 火葬:delegation@小田原市",
    "change": "+330,096万円", "cost_change": "-20,000万円", "rule": "L6", "text": "小田原市's net burden …",
    "min_difference": 1, "slack": "5%", "task": "火葬", "more": 3, "shown": "…", "names": "箱根町", "city": "小田原市",
    "population": "188,856", "savings": "423,046万円", "difference": "+0", "seed": 2, "a": "小田原市", "b": "南足柄市",
    "new": "小田原南足柄市", "powers": "あり", "what": "昼夜間人口比率", "source": "小田原市", "other": "南足柄市",
    "municipality": "箱根町", "ratio": "40%", "label": "--force 火葬=delegation", "usage": "TASK=METHOD", "low": 0,
    "high": 1, "kind": "forbid", "hint": "", "method_id": "delegation", "threshold": "200,000", "failed": "(A) …",
    "limit": "10%", "party": "神奈川県", "member": "箱根町", "need": 2, "most": 1, "payment": "100万円",
    "standalone": "90万円", "allowed": 5, "capacity": 10, "reason": "…", "why": "…", "labels": "--burden-cap 0",
    "row": 3, "objective": "1,000", "exact": "999", "second": "1,000", "first": "999", "variables": 100,
    "constraints": 200, "sheet": "概要", "left": "現状", "right": "案1", "example": "--burden-cap 1億", "details": "L6: …", "amount": "1,000", "option": "--burden-cap", "code": "U+0001", "position": 3, "sheets": "instance, tasks", "cells": 5,
    "header": 4, "valid": "task, municipality", "save_as": "…", "hint": "", "written": "ＡＢ", "formula": "=SUM(A1:A3)", "cell": "C5", "unit": "万円", "message": "…", "column": "volume",
}


# ---- subcommands: sample arguments of their keys
SAMPLE_VALUES.update({"municipalities": 60, "prefectures": 1, "files": ["tasks.csv", "README.md"]})


def sample_arguments(key: str) -> dict:
    """A value for each argument: a number where a template formats it as one ({share:.1%})."""
    numeric = {f for template in CATALOGUE[key] for _, f, spec, _ in string.Formatter().parse(template) if f and spec}
    return {name: 0.25 if name in numeric else SAMPLE_VALUES.get(name, "…") for name in fields(key)}
