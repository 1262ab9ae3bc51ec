import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { errorAnswer, renderWithApp } from '../test/harness';
import ReportForm from './ReportForm';

const reportAnswer = {
  data: {
    submitStatusReport: {
      __typename: 'StatusReportPayload',
      statusReport: {
        __typename: 'StatusReport',
        id: 'm1#2013-H2#nav',
        period: '2013-H2',
        status: 'IN_PROGRESS',
        progressPercent: 40,
        reportedBy: { __typename: 'Agency', id: 'nav' },
      },
      measure: { __typename: 'Measure', id: 'm1', status: 'IN_PROGRESS', version: 4 },
    },
  },
};

describe('submitting a status report', () => {
  it('checks the period, progress and summary before sending anything', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<ReportForm measureId="m1" currentStatus="IN_PROGRESS" />, { viewer: 'nav' });
    await user.type(screen.getByLabelText(/^Periode/), '2015');
    await user.type(screen.getByLabelText(/Framdrift i prosent/), '140');
    await user.click(screen.getByRole('button', { name: 'Send statusrapport' }));
    expect(screen.getByText('Perioden må ligge innenfor 2011–2014.')).toBeTruthy();
    expect(screen.getByText('Skriv et tall fra 0 til 100.')).toBeTruthy();
    expect(screen.getByText('Fyll ut feltet.')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it("shows the server's refusal at the field it names, and keeps what was typed", async () => {
    const user = userEvent.setup();
    renderWithApp(<ReportForm measureId="m1" currentStatus="IN_PROGRESS" />, {
      viewer: 'nav',
      answers: {
        SubmitStatusReport: errorAnswer('summary must have at most 5000 characters.', { code: 'BAD_USER_INPUT', field: 'summary' }),
      },
    });
    await user.type(screen.getByLabelText(/^Periode/), '2013-h2');
    await user.type(screen.getByLabelText(/Framdrift i prosent/), '40');
    await user.type(screen.getByLabelText(/^Hva er gjort/), 'Kartlagt behov.');
    await user.click(screen.getByRole('button', { name: 'Send statusrapport' }));
    const message = await screen.findByText('Ikke godtatt av tjenesten: summary must have at most 5000 characters.');
    // The message sits in the summary's own field, beside its textarea.
    const field = screen.getByLabelText(/^Hva er gjort/);
    expect(message.closest('.ds-field')?.contains(field)).toBe(true);
    expect((screen.getByLabelText(/^Hva er gjort/) as HTMLTextAreaElement).value).toBe('Kartlagt behov.');
    // The period is sent in the form the server takes.
    expect((screen.getByLabelText(/^Periode/) as HTMLInputElement).value).toBe('2013-H2');
  });

  it('sends the report and says so in words', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<ReportForm measureId="m1" currentStatus="IN_PROGRESS" />, {
      viewer: 'nav',
      answers: { SubmitStatusReport: reportAnswer, MeasurePage: { data: { measure: null } } },
    });
    fireEvent.change(screen.getByLabelText(/^Periode/), { target: { value: '2013-H2' } });
    await user.type(screen.getByLabelText(/Framdrift i prosent/), '40');
    await user.type(screen.getByLabelText(/^Hva er gjort/), '  Kartlagt behov.  ');
    await user.click(screen.getByRole('button', { name: 'Send statusrapport' }));
    expect(await screen.findByText('Rapporten for 2. halvår 2013 er sendt.')).toBeTruthy();
    await waitFor(() => expect(sent[0]?.operationName).toBe('SubmitStatusReport'));
    expect(sent[0]?.variables).toEqual({
      input: { measureId: 'm1', period: '2013-H2', status: 'IN_PROGRESS', progressPercent: 40, summary: 'Kartlagt behov.' },
    });
  });
});
