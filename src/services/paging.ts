import { invalid } from '../domain/errors.js';

/** Pages are numbered from 1; a page never holds more than MAX_PAGE_SIZE people. */
export const MAX_PAGE_SIZE = 50;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageRequest {
  readonly page?: number;
  readonly pageSize?: number;
}

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
  readonly offset: number;
}

export interface Page<T> {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly items: T[];
}

const isCount = (n: number, max: number): boolean => Number.isInteger(n) && n >= 1 && n <= max;

/** Validates a page request; PAGE.INVALID (400) if the page or its size is out of range. */
export function paging(request: PageRequest = {}, max = MAX_PAGE_SIZE): Paging {
  const page = request.page ?? 1;
  const pageSize = request.pageSize ?? Math.min(DEFAULT_PAGE_SIZE, max);
  if (!isCount(page, 100_000) || !isCount(pageSize, max)) {
    throw invalid('PAGE.INVALID', `Pagination invalide : page à partir de 1, au plus ${max} résultats par page.`);
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export const pageOf = <T>(p: Paging, total: number, items: T[]): Page<T> => ({
  page: p.page,
  pageSize: p.pageSize,
  total,
  items,
});
