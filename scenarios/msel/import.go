package msel

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ttx-dev/ttx/scenarios"
)

// Options are what an import needs beside the file: the plan the scenario runs against, and
// the scenario's own fields that a CSV cannot hold.
type Options struct {
	// Set holds the plan, as loaded with its files (scenarios.Load or LoadFS).
	Set *scenarios.Set
	// Plan names the plan the scenario runs against.
	Plan string
	// Scenario names the scenario; by default the Scenario sheet's name, or a CSV's file name.
	Scenario string
	// Duration, Title, Summary and StartTime are a CSV's scenario fields (Duration required);
	// an XLSX reads them from its Scenario sheet, and they override it when given.
	Duration  time.Duration
	Title     string
	Summary   string
	StartTime time.Time
}

// Import reads the MSEL in data (an XLSX workbook, or CSV when name ends in .csv) and returns
// the scenario it describes in canonical HCL layout, checked by loading it against the plan.
// The diagnostics hold every problem found, each at its cell; when any is an error the text
// is nil.
func Import(name string, data []byte, opts Options) ([]byte, Diagnostics) {
	s, im := readDraft(name, data, opts)
	if s == nil {
		return nil, im.r.sorted()
	}
	text, origins := writeScenario(s)
	im.validate(text, origins, opts)
	diags := im.r.sorted()
	if diags.HasErrors() {
		return nil, diags
	}
	return text, diags
}

// readDraft reads the file into a draft scenario and the diagnostics found on the way; the
// draft is nil when there is nothing to write.
func readDraft(name string, data []byte, opts Options) (*draftScenario, *importer) {
	r := &reporter{file: path.Base(strings.ReplaceAll(name, "\\", "/"))}
	im := &importer{r: r, opts: opts}
	if len(data) > maxFileSize {
		r.errorf(cellPos{}, "the file is over %d MiB; an MSEL is a few hundred rows", maxFileSize>>20)
		return nil, im
	}
	im.plan = planNamed(opts, r)
	im.csv = strings.EqualFold(path.Ext(name), ".csv")
	var msel, scen *sheet
	if im.csv {
		msel = readCSV(data, r)
	} else {
		msel, scen = readXLSX(data, r)
	}
	if msel == nil || im.plan == nil {
		return nil, im
	}
	im.sheet = msel.name
	s := im.scenario(scen, name)
	s.injects = im.injects(msel)
	if len(s.modules) == 0 {
		s.modules = im.modulesFromRows(s.injects)
	} else {
		im.checkModules(s)
	}
	if r.diags.HasErrors() && len(s.injects) == 0 {
		return nil, im
	}
	return s, im
}

// planNamed is the plan the import runs against, or nil after a diagnostic.
func planNamed(opts Options, r *reporter) *scenarios.Plan {
	var names []string
	if opts.Set != nil {
		if p := opts.Set.Plans[opts.Plan]; p != nil {
			return p
		}
		for n := range opts.Set.Plans {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	hint := ""
	if near := scenarios.Nearest(opts.Plan, names); near != "" {
		hint = fmt.Sprintf(" did you mean %q?", near)
	}
	r.errorf(cellPos{}, "no plan %q is loaded (loaded: %s);%s give its files as PATH", opts.Plan, strings.Join(names, ", "), hint)
	return nil
}

// importer reads one MSEL against one plan.
type importer struct {
	r     *reporter
	plan  *scenarios.Plan
	opts  Options
	csv   bool
	sheet string // the MSEL sheet's name; "" in a CSV
	// rows with a problem found before loading: the loader's diagnostics about them are left
	// out, since they would say the same thing less precisely.
	badRows map[int]bool
}

func (im *importer) at(row, col int) cellPos { return cellPos{sheet: im.sheet, row: row, col: col} }

func (im *importer) errorf(at cellPos, format string, args ...any) {
	if at.sheet == im.sheet && at.row > 1 {
		if im.badRows == nil {
			im.badRows = map[int]bool{}
		}
		im.badRows[at.row] = true
	}
	im.r.errorf(at, format, args...)
}

// draftScenario is a scenario as read from the file, with where each part came from.
type draftScenario struct {
	name, title, summary string
	plan                 string
	duration             time.Duration
	startTime            time.Time
	objectives           []*draftObjective
	modules              []*draftModule
	injects              []*draftInject
	pos                  map[string]cellPos // by attribute
}

type draftObjective struct {
	name, title  string
	capabilities []string
	def          cellPos
	pos          map[string]cellPos
}

type draftModule struct {
	name, title string
	at          time.Duration
	questions   []string
	def         cellPos
	pos         map[string]cellPos
}

type draftInject struct {
	number    int // the # column, or the row's place
	row       int
	name      string
	module    string
	hasAt     bool
	at        time.Duration
	after     string // kind.name
	delay     time.Duration
	to        []string
	channel   string
	from      string
	subject   string
	body      string
	severity  string
	when      string
	triggers  []string
	prompts   []string
	questions []string
	notes     string
	decision  *draftDecision
	def       cellPos
	pos       map[string]cellPos
}

type draftDecision struct {
	name       string
	prompt     string
	options    []scenarios.Option
	expected   string
	credit     []creditLine
	decidedBy  []string
	due        time.Duration
	dflt       string
	capability string
	phase      string
	weight     float64
	hasWeight  bool
	def        cellPos
	pos        map[string]cellPos
}

type creditLine struct {
	option string
	credit float64
}

// scenarioFieldNames are the fixed fields of the Scenario sheet.
var scenarioFieldNames = []string{"name", "title", "summary", "plan", "duration", "start_time"}

var fieldPattern = regexp.MustCompile(`^(objective|module)\.([^.]+)\.(title|capabilities|at|question)$`)

// scenario reads the Scenario sheet (XLSX) or the options (CSV) into the scenario's fields.
func (im *importer) scenario(sh *sheet, file string) *draftScenario {
	s := &draftScenario{pos: map[string]cellPos{}, plan: im.opts.Plan}
	if im.csv {
		s.name = strings.TrimSuffix(path.Base(file), path.Ext(file))
		if im.opts.Duration <= 0 {
			im.errorf(cellPos{}, "a CSV holds the inject rows only: give the scenario's duration with --duration")
		}
	} else {
		im.scenarioSheet(sh, s)
	}
	if im.opts.Scenario != "" {
		s.name = im.opts.Scenario
	}
	if im.opts.Duration > 0 {
		s.duration = im.opts.Duration
	}
	if im.opts.Title != "" {
		s.title = im.opts.Title
	}
	if im.opts.Summary != "" {
		s.summary = im.opts.Summary
	}
	if !im.opts.StartTime.IsZero() {
		s.startTime = im.opts.StartTime
	}
	if s.name == "" {
		im.errorf(cellPos{sheet: SheetScenario}, "the scenario has no name: add a row name, or give --scenario NAME")
	}
	return s
}

// scenarioSheet reads the Scenario sheet's rows of field and value.
func (im *importer) scenarioSheet(sh *sheet, s *draftScenario) {
	if sh == nil {
		if im.opts.Duration <= 0 {
			im.errorf(cellPos{}, "the workbook has no %s sheet: add one with the rows name, plan and duration, or give --duration", SheetScenario)
		}
		return
	}
	objectives := map[string]*draftObjective{}
	modules := map[string]*draftModule{}
	seen := map[string]int{}
	known := append(append([]string(nil), scenarioFieldNames...),
		"objective.NAME.title", "objective.NAME.capabilities", "module.NAME.title", "module.NAME.at", "module.NAME.question")
	for i, row := range sh.rows {
		line := i + 1
		field, value, text := cell(row, 0), cell(row, 1), textCell(row, 1)
		if field == "" || (i == 0 && strings.EqualFold(field, "field")) {
			continue
		}
		at := cellPos{sheet: sh.name, row: line, col: 2}
		key := strings.ToLower(field)
		if first, dup := seen[key]; dup && !strings.HasSuffix(key, ".question") {
			im.errorf(cellPos{sheet: sh.name, row: line, col: 1}, "field %q is already given in row %d; keep one of them", field, first)
			continue
		}
		seen[key] = line
		switch key {
		case "name":
			s.name, s.pos["name"] = value, at
		case "title":
			s.title, s.pos["title"] = text, at
		case "summary":
			s.summary, s.pos["summary"] = text, at
		case "plan":
			s.pos["plan"] = at
			if value != "" && value != im.opts.Plan {
				im.errorf(at, "the sheet says plan %q but the import is against plan %q; give --plan %s, or correct the sheet", value, im.opts.Plan, value)
			}
		case "duration":
			s.pos["duration"] = at
			if d, ok := parseDuration(value); ok && d > 0 {
				s.duration = d
			} else if im.opts.Duration <= 0 {
				im.errorf(at, "duration %q is not a positive duration; write it like 8h or 36h", value)
			}
		case "start_time":
			s.pos["start_time"] = at
			if value == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				im.errorf(at, "start_time %q is not an RFC 3339 time; write it like 2026-03-14T07:30:00Z", value)
				continue
			}
			s.startTime = t
		default:
			m := fieldPattern.FindStringSubmatch(field)
			if m == nil {
				hint := ""
				if near := scenarios.Nearest(key, known); near != "" {
					hint = fmt.Sprintf("; did you mean %q?", near)
				}
				im.errorf(cellPos{sheet: sh.name, row: line, col: 1}, "unknown field %q%s (known: %s)", field, hint, strings.Join(known, ", "))
				continue
			}
			im.blockField(m[1], m[2], m[3], value, text, at, s, objectives, modules)
		}
	}
	if _, ok := seen["duration"]; !ok && im.opts.Duration <= 0 {
		im.errorf(cellPos{sheet: sh.name}, "the sheet has no duration row: add one, such as duration | 8h")
	}
}

// blockField reads one objective.NAME.FIELD or module.NAME.FIELD row: value is its cell
// trimmed, text the same keeping its trailing new lines (for a title).
func (im *importer) blockField(kind, name, field, value, text string, at cellPos, s *draftScenario,
	objectives map[string]*draftObjective, modules map[string]*draftModule) {
	def := cellPos{sheet: at.sheet, row: at.row, col: 1}
	if kind == "objective" {
		o := draftNamed(objectives, &s.objectives, name, func() *draftObjective {
			return &draftObjective{name: name, def: def, pos: map[string]cellPos{}}
		})
		im.objectiveField(o, field, value, text, at, def)
		return
	}
	m := draftNamed(modules, &s.modules, name, func() *draftModule {
		return &draftModule{name: name, def: def, pos: map[string]cellPos{}}
	})
	im.moduleField(m, field, value, text, at, def)
}

// draftNamed is the draft block of that name, made by newDraft at the first row that names it
// so that the blocks keep the order the sheet first names them in.
func draftNamed[T any](byName map[string]*T, inOrder *[]*T, name string, newDraft func() *T) *T {
	d := byName[name]
	if d == nil {
		d = newDraft()
		byName[name] = d
		*inOrder = append(*inOrder, d)
	}
	return d
}

// objectiveField reads one objective.NAME.FIELD row into o.
func (im *importer) objectiveField(o *draftObjective, field, value, text string, at, def cellPos) {
	switch field {
	case "title":
		o.title, o.pos["title"] = text, at
	case "capabilities":
		o.capabilities, o.pos["capabilities"] = splitList(value), at
	default:
		im.errorf(def, "an objective has a title and capabilities, not %s", field)
	}
}

// moduleField reads one module.NAME.FIELD row into m; question rows add up in sheet order.
func (im *importer) moduleField(m *draftModule, field, value, text string, at, def cellPos) {
	switch field {
	case "title":
		m.title, m.pos["title"] = text, at
	case "at":
		m.pos["at"] = at
		d, ok := parseTime(value)
		if !ok {
			im.errorf(at, "module %s starts at %q, which is not a time; write T+H:MM (T+1:30 is 1h30m) or a duration like 90m", m.name, value)
		}
		m.at = d
	case "question":
		if value != "" {
			m.questions = append(m.questions, value)
			m.pos["questions"] = at
		}
	default:
		im.errorf(def, "a module has a title, at and questions, not %s", field)
	}
}

// maxRows bounds the injects of one MSEL, before any of them is read.
const maxRows = 5000

// injects reads the MSEL sheet: its header row, then one inject a row, ordered by #.
func (im *importer) injects(sh *sheet) []*draftInject {
	if len(sh.rows) == 0 || allBlank(sh.rows[0]) {
		im.errorf(im.at(0, 0), "the sheet is empty: an MSEL needs a header row (%s…) and a row per inject", strings.Join(Headers()[:5], ", "))
		return nil
	}
	if len(sh.rows) > maxRows+1 {
		im.errorf(im.at(maxRows+2, 0), "the sheet has %d rows; an MSEL holds at most %d injects", len(sh.rows)-1, maxRows)
		return nil
	}
	cols := im.header(sh.rows[0])
	if cols == nil {
		return nil
	}
	var out []*draftInject
	for i, row := range sh.rows[1:] {
		if allBlank(row) {
			continue
		}
		out = append(out, im.injectRow(i+2, row, cols))
	}
	if len(out) == 0 {
		im.errorf(im.at(2, 0), "the sheet has a header but no inject rows")
		return nil
	}
	im.checkNames(out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

// header maps each canonical column to its index in the header row, or returns nil after a
// diagnostic when a required column is missing or one is given twice.
func (im *importer) header(row []string) map[string]int {
	cols := map[string]int{}
	ok := true
	for i, h := range row {
		if strings.TrimSpace(h) == "" {
			continue
		}
		canon, known := headerIndex[normalHeader(h)]
		if !known {
			hint := ""
			if near := scenarios.Nearest(normalHeader(h), headerNames()); near != "" {
				hint = fmt.Sprintf("; did you mean %q?", headerIndexOriginal(near))
			}
			im.r.warnf(im.at(1, i+1), "unknown column %q, ignored%s", h, hint)
			continue
		}
		if first, dup := cols[canon]; dup {
			cell, _ := excelize.ColumnNumberToName(first + 1)
			im.errorf(im.at(1, i+1), "column %q is given twice (first in column %s); keep one", canon, cell)
			ok = false
			continue
		}
		cols[canon] = i
	}
	for _, req := range requiredColumns {
		if _, has := cols[req]; !has {
			im.errorf(im.at(1, 0), "missing required column %q", req)
			ok = false
		}
	}
	_, hasTime := cols[ColTime]
	_, hasAfter := cols[ColAfter]
	if !hasTime && !hasAfter {
		im.errorf(im.at(1, 0), "missing required column %q (or %q): each inject needs a time", ColTime, ColAfter)
		ok = false
	}
	if !ok {
		return nil
	}
	return cols
}

// headerNames are every header and synonym in normal form, for "did you mean".
func headerNames() []string { return slices.Sorted(maps.Keys(headerIndex)) }

// headerIndexOriginal is a normal-form header as written in columns.
func headerIndexOriginal(norm string) string {
	for _, c := range columns {
		for _, h := range append([]string{c.header}, c.synonyms...) {
			if normalHeader(h) == norm {
				return h
			}
		}
	}
	return norm
}

// rowReader reads the cells of one row by column.
type rowReader struct {
	im   *importer
	row  int
	raw  []string
	cols map[string]int
}

func (rr rowReader) get(col string) string {
	i, ok := rr.cols[col]
	if !ok || exportOnly(col) {
		return ""
	}
	return cell(rr.raw, i)
}

// text reads a cell that holds a text attribute (from, subject, body, notes, prompt).
func (rr rowReader) text(col string) string {
	i, ok := rr.cols[col]
	if !ok || exportOnly(col) {
		return ""
	}
	return textCell(rr.raw, i)
}

func (rr rowReader) pos(col string) cellPos {
	i, ok := rr.cols[col]
	if !ok {
		return rr.im.at(rr.row, 0)
	}
	return rr.im.at(rr.row, i+1)
}

// injectRow reads one inject row.
func (im *importer) injectRow(line int, raw []string, cols map[string]int) *draftInject {
	rr := rowReader{im: im, row: line, raw: raw, cols: cols}
	in := &draftInject{number: 1 << 30, row: line, def: rr.pos(ColInject), pos: map[string]cellPos{}}
	in.number += line
	if v := rr.get(ColNumber); v != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
		if err != nil || n < 1 {
			im.errorf(rr.pos(ColNumber), "# %q is not a whole number from 1; it orders the injects", v)
		} else {
			in.number = n
		}
	}
	in.name = rr.get(ColInject)
	if in.name == "" {
		im.errorf(rr.pos(ColInject), "the row has no inject name; give each inject a short name such as helpdesk-call")
	}
	in.module, in.pos["module"] = rr.get(ColModule), rr.pos(ColModule)
	im.timing(rr, in)
	text := func(col, attr string, dst *string) {
		*dst = rr.text(col)
		in.pos[attr] = rr.pos(col)
	}
	text(ColFrom, "from", &in.from)
	text(ColSubject, "subject", &in.subject)
	text(ColBody, "body", &in.body)
	text(ColNotes, "notes", &in.notes)
	in.to = im.teams(rr, ColTo)
	in.pos["to"] = rr.pos(ColTo)
	if len(in.to) == 0 && rr.get(ColTo) == "" {
		im.errorf(rr.pos(ColTo), "inject %q is sent to nobody; name at least one team in To", in.name)
	}
	in.channel, in.pos["channel"] = im.channel(rr), rr.pos(ColChannel)
	if v := rr.get(ColSeverity); v != "" {
		in.severity, in.pos["severity"] = im.severity(rr, v), rr.pos(ColSeverity)
	}
	if v := rr.get(ColCondition); v != "" {
		in.pos["when"] = rr.pos(ColCondition)
		if _, err := whenTokens(v); err != nil {
			im.errorf(rr.pos(ColCondition), "the condition does not parse: %v", err)
		} else {
			in.when = v
		}
	}
	in.triggers, in.pos["triggers"] = im.actions(rr, ColTriggers), rr.pos(ColTriggers)
	in.prompts, in.pos["prompts"] = im.actions(rr, ColPrompts), rr.pos(ColPrompts)
	in.questions, in.pos["questions"] = lines(rr.get(ColQuestions)), rr.pos(ColQuestions)
	in.decision = im.decision(rr)
	return in
}

// timing reads Time, or After and Delay.
func (im *importer) timing(rr rowReader, in *draftInject) {
	at, after, delay := rr.get(ColTime), rr.get(ColAfter), rr.get(ColDelay)
	switch {
	case at != "" && after != "":
		im.errorf(rr.pos(ColAfter), "inject %q has a Time (%s) and an After; give one: Time for a fixed time, After to follow something", in.name, at)
	case at == "" && after == "":
		im.errorf(rr.pos(ColTime), "inject %q has no Time: write T+H:MM (T+1:30 is 1h30m), or name what it follows in After", in.name)
	case at != "":
		in.pos["at"] = rr.pos(ColTime)
		d, ok := parseTime(at)
		if !ok {
			im.errorf(rr.pos(ColTime), "time %q is not a time; write T+H:MM or T+H:MM:SS (T+1:30 is 1h30m), or a duration like 90m", at)
			return
		}
		in.hasAt, in.at = true, d
		if delay != "" {
			im.errorf(rr.pos(ColDelay), "a Delay counts from what After names; this inject has a Time, so clear Delay or use After")
		}
	default:
		in.pos["after"] = rr.pos(ColAfter)
		kind, name, ok := strings.Cut(after, ".")
		if !ok {
			kind, name = scenarios.AfterInject, after
		}
		kind = strings.ToLower(kind)
		if kind != scenarios.AfterInject && kind != scenarios.AfterDecision && kind != scenarios.AfterAction {
			im.errorf(rr.pos(ColAfter), "after %q names no inject, decision or action; write inject.NAME, decision.NAME or action.NAME", after)
			return
		}
		in.after = kind + "." + name
		if delay != "" {
			in.pos["delay"] = rr.pos(ColDelay)
			d, ok := parseDuration(delay)
			if !ok || d < 0 {
				im.errorf(rr.pos(ColDelay), "delay %q is not a duration; write it like 30m or 1h30m", delay)
			}
			in.delay = d
		}
	}
}

// checkNames reports duplicate inject and decision names, and After naming nothing, with
// what was meant when a name is close.
func (im *importer) checkNames(injects []*draftInject) {
	injectRow := map[string]int{}
	decisionRow := map[string]int{}
	var injectNames, decisionNames []string
	for _, in := range injects {
		if in.name != "" {
			if first, dup := injectRow[in.name]; dup {
				im.errorf(in.def, "duplicate inject %q: row %d has it already; rename one of them", in.name, first)
			} else {
				injectRow[in.name] = in.row
				injectNames = append(injectNames, in.name)
			}
		}
		if d := in.decision; d != nil && d.name != "" {
			if first, dup := decisionRow[d.name]; dup {
				im.errorf(d.def, "duplicate decision %q: row %d has it already; rename one of them", d.name, first)
			} else {
				decisionRow[d.name] = in.row
				decisionNames = append(decisionNames, d.name)
			}
		}
	}
	var actionNames []string
	for _, a := range im.plan.Actions {
		actionNames = append(actionNames, a.Name)
	}
	for _, in := range injects {
		if in.after == "" {
			continue
		}
		kind, name, _ := strings.Cut(in.after, ".")
		names := map[string][]string{scenarios.AfterInject: injectNames, scenarios.AfterDecision: decisionNames, scenarios.AfterAction: actionNames}[kind]
		if !slices.Contains(names, name) {
			what := map[string]string{scenarios.AfterInject: "inject", scenarios.AfterDecision: "decision", scenarios.AfterAction: "plan action"}[kind]
			im.errorf(in.pos["after"], "after %s names no %s%s", in.after, what, didYouMean(name, names, kind+"."))
		}
	}
}

// teams reads a list of teams, by name or title.
func (im *importer) teams(rr rowReader, col string) []string {
	var names, titles []string
	for _, t := range im.plan.Teams {
		names = append(names, t.Name)
		titles = append(titles, t.Title)
	}
	return im.resolveList(rr, col, "team", names, titles)
}

// actions reads a list of plan actions, by name or title.
func (im *importer) actions(rr rowReader, col string) []string {
	var names, titles []string
	for _, a := range im.plan.Actions {
		names = append(names, a.Name)
		titles = append(titles, a.Title)
	}
	return im.resolveList(rr, col, "action", names, titles)
}

// resolveList reads the names in a cell, separated by commas or new lines, each a name or a
// title of one of names (titles[i] is names[i]'s), and reports each unknown one.
func (im *importer) resolveList(rr rowReader, col, kind string, names, titles []string) []string {
	var out []string
	for _, line := range lines(rr.get(col)) {
		if n, ok := resolveName(line, names, titles); ok {
			out = append(out, n)
			continue
		}
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if n, ok := resolveName(item, names, titles); ok {
				out = append(out, n)
				continue
			}
			im.errorf(rr.pos(col), "unknown %s %q%s", kind, item, didYouMean(item, names, ""))
		}
	}
	return out
}

// resolveName finds s among names, then titles, then either without regard to case.
func resolveName(s string, names, titles []string) (string, bool) {
	for i := range names {
		if s == names[i] || s == titles[i] {
			return names[i], true
		}
	}
	for i := range names {
		if strings.EqualFold(s, names[i]) || (titles[i] != "" && strings.EqualFold(s, titles[i])) {
			return names[i], true
		}
	}
	return "", false
}

// channel reads the Channel cell.
func (im *importer) channel(rr rowReader) string {
	v := strings.ToLower(rr.get(ColChannel))
	if v == "" {
		im.errorf(rr.pos(ColChannel), "no channel: write one of %s", strings.Join(scenarios.Channels, ", "))
		return ""
	}
	if !slices.Contains(scenarios.Channels, v) {
		im.errorf(rr.pos(ColChannel), "unknown channel %q (channels: %s)%s", v, strings.Join(scenarios.Channels, ", "), didYouMean(v, scenarios.Channels, ""))
		return ""
	}
	return v
}

// severity reads the Severity cell, a severity's name or title.
func (im *importer) severity(rr rowReader, v string) string {
	var names, titles []string
	for _, s := range im.plan.Severities {
		names = append(names, s.Name)
		titles = append(titles, s.Title)
	}
	if n, ok := resolveName(v, names, titles); ok {
		return n
	}
	im.errorf(rr.pos(ColSeverity), "unknown severity %q%s", v, didYouMean(v, names, ""))
	return ""
}

// decisionColumns are the columns that only a decision has.
var decisionColumns = []string{ColPrompt, ColOptions, ColExpected, ColCredit, ColDecidedBy, ColDecisionDue,
	ColDefault, ColDecisionCap, ColDecisionPh, ColDecisionWt}

// decision reads the decision columns of a row, or returns nil when they are all empty.
func (im *importer) decision(rr rowReader) *draftDecision {
	name := rr.get(ColDecision)
	if name == "" {
		for _, c := range decisionColumns {
			if rr.get(c) != "" {
				im.errorf(rr.pos(ColDecision), "the row has a %s but no Decision name; name the decision, or clear its columns", c)
				break
			}
		}
		return nil
	}
	d := &draftDecision{name: name, def: rr.pos(ColDecision), pos: map[string]cellPos{}}
	d.prompt, d.pos["prompt"] = rr.text(ColPrompt), rr.pos(ColPrompt)
	if d.prompt == "" {
		im.errorf(rr.pos(ColPrompt), "decision %q has no Prompt: the question put to the teams", name)
	}
	d.pos["options"] = rr.pos(ColOptions)
	d.options = im.decisionOptions(rr, name)
	if v := rr.get(ColExpected); v != "" {
		d.pos["expected"] = rr.pos(ColExpected)
		if im.isOption(rr, d, ColExpected, v) {
			d.expected = v
		}
	}
	d.pos["credit"] = rr.pos(ColCredit)
	d.credit = im.decisionCredit(rr, d)
	if v := rr.get(ColDecidedBy); v != "" {
		d.decidedBy, d.pos["decided_by"] = im.teams(rr, ColDecidedBy), rr.pos(ColDecidedBy)
	}
	if v := rr.get(ColDecisionDue); v != "" {
		d.pos["due"] = rr.pos(ColDecisionDue)
		due, ok := parseDuration(v)
		if !ok || due <= 0 {
			im.errorf(rr.pos(ColDecisionDue), "decision due %q is not a positive duration; write it like 30m", v)
		}
		d.due = due
	}
	if v := rr.get(ColDefault); v != "" {
		d.pos["default"] = rr.pos(ColDefault)
		if im.isOption(rr, d, ColDefault, v) {
			d.dflt = v
		}
	}
	im.decisionScoring(rr, d)
	return d
}

// decisionOptions reads the Options cell: one "key: label" a line.
func (im *importer) decisionOptions(rr rowReader, name string) []scenarios.Option {
	var options []scenarios.Option
	for _, line := range lines(rr.get(ColOptions)) {
		key, label, ok := strings.Cut(line, ":")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			im.errorf(rr.pos(ColOptions), "option %q is not name: text; write one option a line, like refuse: Refuse and restore from backups", line)
			continue
		}
		options = append(options, scenarios.Option{Key: key, Label: strings.TrimSpace(label)})
	}
	if len(options) == 0 {
		im.errorf(rr.pos(ColOptions), "decision %q has no Options; write one a line, like refuse: Refuse and restore from backups", name)
	}
	return options
}

// isOption reports whether v, written in column col, is one of d's options, and says which
// are when it is not; with no options read there is nothing to check it against.
func (im *importer) isOption(rr rowReader, d *draftDecision, col, v string) bool {
	keys := make([]string, len(d.options))
	for i, o := range d.options {
		keys[i] = o.Key
	}
	if len(keys) > 0 && !slices.Contains(keys, v) {
		im.errorf(rr.pos(col), "%s %q is not an option of decision %q (options: %s)%s", strings.ToLower(col), v, d.name, strings.Join(keys, ", "), didYouMean(v, keys, ""))
		return false
	}
	return true
}

// decisionCredit reads the Credit cell: one "option: number" a line, each naming an option.
func (im *importer) decisionCredit(rr rowReader, d *draftDecision) []creditLine {
	var credit []creditLine
	for _, line := range lines(rr.get(ColCredit)) {
		key, num, ok := strings.Cut(line, ":")
		key = strings.TrimSpace(key)
		c, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !ok || err != nil {
			im.errorf(rr.pos(ColCredit), "credit %q is not name: number; write one option a line, like negotiate: 0.5", line)
			continue
		}
		if im.isOption(rr, d, ColCredit, key) {
			credit = append(credit, creditLine{key, c})
		}
	}
	return credit
}

// decisionScoring reads what the decision's item is scored under: its capability, phase and
// weight columns.
func (im *importer) decisionScoring(rr rowReader, d *draftDecision) {
	d.capability, d.pos["capability"] = rr.get(ColDecisionCap), rr.pos(ColDecisionCap)
	if v := strings.ToLower(rr.get(ColDecisionPh)); v != "" {
		d.pos["phase"] = rr.pos(ColDecisionPh)
		if !slices.Contains(scenarios.Phases, v) {
			im.errorf(rr.pos(ColDecisionPh), "unknown phase %q (phases: %s)%s", v, strings.Join(scenarios.Phases, ", "), didYouMean(v, scenarios.Phases, ""))
		} else {
			d.phase = v
		}
	}
	if v := rr.get(ColDecisionWt); v != "" {
		d.pos["weight"] = rr.pos(ColDecisionWt)
		w, err := strconv.ParseFloat(v, 64)
		if err != nil || w <= 0 {
			im.errorf(rr.pos(ColDecisionWt), "decision weight %q is not a positive number", v)
		} else {
			d.weight, d.hasWeight = w, true
		}
	}
}

// checkModules reports a Module cell that names none of the Scenario sheet's modules.
func (im *importer) checkModules(s *draftScenario) {
	names := make([]string, len(s.modules))
	for i, m := range s.modules {
		names[i] = m.name
	}
	for _, in := range s.injects {
		if in.module != "" && !slices.Contains(names, in.module) {
			im.errorf(in.pos["module"], "unknown module %q (the %s sheet defines %s)%s", in.module, SheetScenario, strings.Join(names, ", "), didYouMean(in.module, names, ""))
		}
	}
}

// modulesFromRows are the modules of a sheet that does not define them (a CSV), from its
// Module column: in the order they first appear, the first at 0s, each later one at the time
// of its first inject.
func (im *importer) modulesFromRows(injects []*draftInject) []*draftModule {
	var out []*draftModule
	byName := map[string]*draftModule{}
	for _, in := range injects {
		if in.module == "" || byName[in.module] != nil {
			continue
		}
		m := &draftModule{name: in.module, def: cellPos{row: in.row}, pos: map[string]cellPos{}}
		byName[in.module] = m
		if len(out) > 0 {
			if !in.hasAt {
				im.errorf(in.pos["after"], "module %q starts at its first inject, %q, which has no Time; give it a Time", in.module, in.name)
			}
			m.at = in.at
		}
		out = append(out, m)
	}
	return out
}

// Time and duration forms.
var tPlus = regexp.MustCompile(`^(?:T\+)?(\d+):([0-5]\d)(?::([0-5]\d))?$`)

// parseTime reads a Time: T+H:MM, T+H:MM:SS (or without the T+), or a Go duration.
func parseTime(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if m := tPlus.FindStringSubmatch(strings.ToUpper(s)); m != nil {
		h, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		sec := 0
		if m[3] != "" {
			sec, _ = strconv.Atoi(m[3])
		}
		return time.Duration(h)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(sec)*time.Second, true
	}
	d, err := time.ParseDuration(strings.TrimPrefix(strings.ToLower(s), "t+"))
	return d, err == nil && d >= 0
}

// parseDuration reads a Go duration, or H:MM(:SS).
func parseDuration(s string) (time.Duration, bool) {
	if d, err := time.ParseDuration(strings.TrimSpace(s)); err == nil {
		return d, true
	}
	return parseTime(s)
}

// cell is row's i-th cell, trimmed, its line ends made \n.
func cell(row []string, i int) string {
	if i >= len(row) {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(row[i], "\r\n", "\n"))
}

// textCell is row's i-th cell as a text attribute's value: trimmed like cell, but keeping the
// new lines it ends with, since a text written as a heredoc ends with one and the round trip
// must give it back as written (setText writes a text that ends with one as a heredoc).
func textCell(row []string, i int) string {
	t := cell(row, i)
	if t == "" {
		return ""
	}
	raw := strings.TrimRight(strings.ReplaceAll(row[i], "\r\n", "\n"), " \t")
	return t + strings.Repeat("\n", len(raw)-len(strings.TrimRight(raw, "\n")))
}

func allBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// lines splits a cell at new lines, dropping blank ones.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// splitList splits at commas and new lines, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, l := range lines(s) {
		for _, item := range strings.Split(l, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// didYouMean is "; did you mean "PREFIXNAME"?" for the name of names nearest to s, or "".
func didYouMean(s string, names []string, prefix string) string {
	near := scenarios.Nearest(s, names)
	if near == "" {
		near = scenarios.Nearest(strings.ToLower(s), names)
	}
	if near == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", prefix+near)
}
