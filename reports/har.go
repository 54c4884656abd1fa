package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/). Fields starting with "_" are custom
// fields, which HAR allows: they link each entry to its case and step.
type harDoc struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Pages   []struct{} `json:"pages"`
	Entries []harEntry `json:"entries"`
	Comment string     `json:"comment"`
	// Run is the run's identity, so evidence.har alone says what it is evidence of.
	Run harRun `json:"_run"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harRun struct {
	Tool    Tool    `json:"tool"`
	Pack    PackRef `json:"pack"`
	Seed    int64   `json:"seed"`
	Filters Filters `json:"filters"`
	Verdict Verdict `json:"verdict"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	ID              string      `json:"_id"`
	CaseID          string      `json:"_caseId"`
	Step            int         `json:"_step"`
	Error           string      `json:"_error,omitempty"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []struct{}   `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []struct{} `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// WriteHAR writes r.Exchanges as a HAR 1.2 log (evidence.har), one entry per exchange sorted by
// start time then ID, with the custom fields _id, _caseId, _step and _error linking entries to
// report.json. Cookies are always empty: a Cookie/Set-Cookie header is in the (redacted)
// headers, and repeating it parsed would only be another place a secret could leak.
func WriteHAR(w io.Writer, r *Report) error {
	doc := harDoc{Log: harLog{
		Version: "1.2",
		Creator: harCreator{Name: orDefault(r.Tool.Name, "chanconf"), Version: r.Tool.Version},
		Pages:   []struct{}{},
		Entries: []harEntry{},
		Comment: fmt.Sprintf("chanconf evidence: pack %s %s sha256:%s, seed %d", r.Pack.Name, r.Pack.Version,
			r.Pack.SHA256, r.Seed),
		Run: harRun{Tool: r.Tool, Pack: r.Pack, Seed: r.Seed, Filters: r.Filters, Verdict: r.Verdict},
	}}
	for _, x := range sortedExchanges(r.Exchanges) {
		doc.Log.Entries = append(doc.Log.Entries, harEntryOf(x))
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode HAR: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write HAR: %w", err)
	}
	return nil
}

// sortedExchanges returns a copy of xs ordered by start time, then ID.
func sortedExchanges(xs []Exchange) []Exchange {
	out := append([]Exchange(nil), xs...)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartedAt.Equal(out[j].StartedAt) {
			return out[i].StartedAt.Before(out[j].StartedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func harEntryOf(x Exchange) harEntry {
	e := harEntry{
		StartedDateTime: formatTime(x.StartedAt),
		Time:            x.DurationMs,
		Request:         harRequestOf(x.Request),
		Response:        harResponseOf(x.Response),
		Timings:         harTimings{Wait: x.DurationMs},
		ID:              x.ID,
		CaseID:          x.CaseID,
		Step:            x.Step,
		Error:           x.Error,
	}
	return e
}

func harRequestOf(q Request) harRequest {
	h := harRequest{Method: q.Method, URL: q.URL, HTTPVersion: q.HTTPVersion, Cookies: []struct{}{},
		Headers: harHeaders(q.Headers), QueryString: queryString(q.URL), HeadersSize: -1, BodySize: len(q.Body)}
	if q.Body != "" {
		h.PostData = &harPostData{MimeType: headerValue(q.Headers, "Content-Type"), Text: q.Body}
	}
	return h
}

func harResponseOf(p Response) harResponse {
	h := harResponse{Status: p.Status, StatusText: p.StatusText, HTTPVersion: p.HTTPVersion, Cookies: []struct{}{},
		Headers: harHeaders(p.Headers), HeadersSize: -1, BodySize: len(p.Body),
		Content: harContent{Size: len(p.Body), MimeType: headerValue(p.Headers, "Content-Type"), Text: p.Body}}
	if p.Truncated {
		h.BodySize = -1
		h.Content.Comment = fmt.Sprintf("body truncated by chanconf to its first %d bytes", len(p.Body))
		switch {
		case p.BodySize > 0:
			h.BodySize, h.Content.Size = int(p.BodySize), int(p.BodySize)
			h.Content.Comment += fmt.Sprintf(" of %d", p.BodySize)
		case p.BodySize < 0:
			h.Content.Comment += "; the channel kept sending past chanconf's read limit"
		}
	}
	return h
}

func harHeaders(hs []Header) []harNV {
	out := make([]harNV, 0, len(hs))
	for _, h := range hs {
		out = append(out, harNV(h))
	}
	return out
}

// queryString parses the query of rawURL in order, keeping repeated and undecodable
// parameters (the raw text is kept when unescaping fails).
func queryString(rawURL string) []harNV {
	out := []harNV{}
	u, err := url.Parse(rawURL)
	if err != nil || u.RawQuery == "" {
		return out
	}
	for _, part := range strings.Split(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, harNV{Name: unescapeQuery(k), Value: unescapeQuery(v)})
	}
	return out
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// headerValue returns the first value of header name (case-insensitive), or "".
func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
